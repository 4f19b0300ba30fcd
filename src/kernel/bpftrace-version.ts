// SPDX-License-Identifier: GPL-3.0-or-later
// Locate bpftrace and read its version.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

// What a command printed, whether or not it succeeded (node:child_process: execa costs the plugin ~7 MiB).
const output = (file: string, args: readonly string[]): Promise<string> => new Promise((resolve) => {
  execFile(file, args, { timeout: 10_000 }, (_error, stdout, stderr) => resolve(`${stdout} ${stderr}`));
});

// The first executable bpftrace in an absolute PATH folder, as `command -v` finds it, without starting a shell
// first (bpftrace --version starts ~20 ms sooner, and the plugin's first data with it).
const onPath = async (name: string): Promise<string> => {
  for (const folder of (process.env.PATH ?? '').split(':').filter(isAbsolute)) {
    const candidate = join(folder, name);
    const file = await stat(candidate).then((info) => info.isFile(), () => false);
    if (file && (await access(candidate, constants.X_OK).then(() => true, () => false))) return candidate;
  }
  return '';
};

export const findBpftrace = async (configured?: string): Promise<{ path: string; version: string } | null> => {
  const path = configured ?? (await onPath('bpftrace'));
  if (!path) return null;
  const version = /v?(\d+\.\d+\.\d+)/.exec(await output(path, ['--version']))?.[1];
  return version ? { path, version } : null;
};

/** "0.17.0" -> [0, 17, 0]; unparsable counts as newest, as PCP's bpftrace agent does. */
export const parseBpftraceVersion = (version: string): [number, number, number] => {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [999, 0, 0];
};
