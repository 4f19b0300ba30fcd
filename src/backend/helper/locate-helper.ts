// SPDX-License-Identifier: GPL-3.0-or-later
// Finds the helper: the configured one (install's capable copy) or the one built for this machine inside
// the package, and refuses one that others could replace.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packageFile } from '../../package-root.js';
import { CodedError } from '../../errors/coded-error.js';
import { untrustedReason } from '../trusted-binary.js';

/** Where `make -C bpf-fallback` puts the helper for an architecture (`uname -m`). */
export const helperPath = (arch: string = os.machine()): string => packageFile('bpf-fallback', 'bin', arch, 'ebpf-process-helper');

/** The BPF object the helper embeds, which make places beside it (input of its minimal BTF). */
export const helperObjectPath = (helperFile: string): string => path.join(path.dirname(helperFile), 'process.bpf.o');

/** Why a helper cannot be run: missing, replaceable by others, or not executable. The caller rules the helper out. */
export class HelperNotRunnable extends CodedError<'ebpf.helper.not-runnable'> {
  constructor(message: string) {
    super('ebpf.helper.not-runnable', message);
  }
}

const isFile = (file: string): Promise<boolean> =>
  stat(file).then(
    (info) => info.isFile(),
    () => false,
  );

// Root, or the netdata user with the helper's capabilities, runs this binary: the same trust check as every
// backend binary (no world-writable file or folder on its path), then that we may execute it.
const runnable = async (file: string, notExecutableFix: string): Promise<string> => {
  const refused = await untrustedReason(file);
  if (refused) throw new HelperNotRunnable(refused);
  await access(file, constants.X_OK).catch(() => {
    throw new HelperNotRunnable(`${file} is not executable: ${notExecutableFix}`);
  });
  return file;
};

/** The helper for this machine, or null when it was not built (`make -C bpf-fallback`). */
export const locateHelper = async (arch: string = os.machine()): Promise<string | null> => {
  const file = helperPath(arch);
  return (await isFile(file)) ? runnable(file, 'rebuild it with `make -C bpf-fallback` or chmod +x it') : null;
};

/** The helper `helper path` names: it must exist, be trusted along its whole path, and be executable by us. */
export const locateConfiguredHelper = async (file: string): Promise<string> => {
  if (!(await isFile(file)))
    throw new HelperNotRunnable(`helper path ${file}: no such file; run \`sudo ebpf-process install\` or fix \`helper path\``);
  return runnable(file, 'as installed it is mode 0750 root:netdata; run `sudo ebpf-process install` again');
};
