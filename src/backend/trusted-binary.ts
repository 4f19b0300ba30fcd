// SPDX-License-Identifier: GPL-3.0-or-later
// Root runs the backend: a binary, or a folder on its path, that anyone may write lets anyone run code as root.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const WORLD_WRITABLE = 0o002;
const STICKY = 0o1000;

const chainReason = async (absolute: string): Promise<string | undefined> => {
  for (let current = absolute, depth = 0; ; current = path.dirname(current), depth += 1) {
    const info = await stat(current).catch(() => undefined);
    if (!info) return depth === 0 ? `${absolute} does not exist` : undefined;
    // A sticky folder (/tmp) only protects entries their owner made: fine above the binary's folder, not as it.
    const sticky = (info.mode & STICKY) !== 0 && depth > 1;
    if ((info.mode & WORLD_WRITABLE) !== 0 && !sticky) {
      return (
        `refusing to run ${absolute}: ${current} is world-writable, so anyone could replace it and run code as root. ` +
        `Fix: chmod o-w ${current}, or install the backend in a root-owned folder such as /usr/bin`
      );
    }
    if (current === path.dirname(current)) return undefined;
  }
};

/** Why `file` must not be run, or undefined when it is safe; a symlink is checked along both paths. */
export const untrustedReason = async (file: string): Promise<string | undefined> => {
  const absolute = path.resolve(file);
  const target = await realpath(absolute).catch(() => absolute);
  for (const candidate of new Set([absolute, target])) {
    const reason = await chainReason(candidate);
    if (reason) return reason;
  }
  return undefined;
};
