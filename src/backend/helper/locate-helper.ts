// SPDX-License-Identifier: GPL-3.0-or-later
// Finds the helper: the configured one (install's capable copy) or the one built for this machine inside
// the package, and refuses one that others could replace.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { untrustedReason } from '../supervise/trusted-binary.js';

// src/backend/helper and dist/backend/helper are both three levels below the package root.
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where `make -C bpf-fallback` puts the helper for an architecture (`uname -m`). */
export const helperPath = (arch: string = os.machine()): string =>
  path.join(packageRoot, 'bpf-fallback', 'bin', arch, 'ebpf-process-helper');

const WORLD_WRITABLE = 0o002;

// Root runs this binary: a file or folder anyone may write would let anyone run code as root.
const refuseWorldWritable = async (file: string): Promise<void> => {
  for (let current = file; current.startsWith(packageRoot); current = path.dirname(current)) {
    if (((await stat(current)).mode & WORLD_WRITABLE) !== 0) {
      throw new Error(`Refusing to run ${file}: ${current} is world-writable, so anyone could replace the helper. Fix: chmod o-w ${current}`);
    }
    if (current === packageRoot) break;
  }
};

const requireExecutable = async (file: string, fix: string): Promise<void> => {
  await access(file, constants.X_OK).catch(() => {
    throw new Error(`${file} is not executable: ${fix}`);
  });
};

/** The helper for this machine, or null when it was not built (`make -C bpf-fallback`). */
export const locateHelper = async (arch: string = os.machine()): Promise<string | null> => {
  const file = helperPath(arch);
  const found = await stat(file).then((info) => info.isFile(), () => false);
  if (!found) return null;
  await refuseWorldWritable(file);
  await requireExecutable(file, 'rebuild it with `make -C bpf-fallback` or chmod +x it');
  return file;
};

/** The helper `helper path` names: it must exist, be trusted along its whole path, and be executable by us. */
export const locateConfiguredHelper = async (file: string): Promise<string> => {
  const isFile = await stat(file).then((info) => info.isFile(), () => false);
  if (!isFile) throw new Error(`helper path ${file}: no such file; run \`sudo ebpf-process install\` or fix \`helper path\``);
  const refused = await untrustedReason(file);
  if (refused) throw new Error(refused);
  await requireExecutable(file, 'as installed it is mode 0750 root:netdata; run `sudo ebpf-process install` again');
  return file;
};
