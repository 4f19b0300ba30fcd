// SPDX-License-Identifier: GPL-3.0-or-later
// Locate bpftrace and read its version.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

// What a command printed, whether or not it succeeded (node:child_process: execa costs the plugin ~7 MiB).
// 30 s: a slow host must not look like one without bpftrace (in an emulated guest, a bpftrace started from a
// chroot took over 10 s to print its version, and selftest --backend bpftrace then ran the helper).
const output = (file: string, args: readonly string[]): Promise<string> =>
  new Promise((resolve) => {
    execFile(file, args, { timeout: 30_000 }, (_error, stdout, stderr) => resolve(`${stdout} ${stderr}`));
  });

// The first executable bpftrace in an absolute PATH folder, as `command -v` finds it, without starting a shell.
// Synchronous: a few stat() calls, and `bpftrace --version` then starts in the caller's tick, before the
// caller blocks its thread reading kallsyms.
const onPath = (name: string): string => {
  for (const folder of (process.env.PATH ?? '').split(':').filter(isAbsolute)) {
    const candidate = join(folder, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here, or not executable: the next folder
    }
  }
  return '';
};

/** The bpftrace an unset `bpftrace path` means, or '' when PATH has none. */
export const bpftraceOnPath = (): string => onPath('bpftrace');

export const findBpftrace = async (configured?: string): Promise<{ path: string; version: string } | null> => {
  const path = configured ?? onPath('bpftrace');
  if (!path) return null;
  const version = /v?(\d+\.\d+\.\d+)/.exec(await output(path, ['--version']))?.[1];
  return version ? { path, version } : null;
};
