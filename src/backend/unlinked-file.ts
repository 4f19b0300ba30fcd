// SPDX-License-Identifier: GPL-3.0-or-later
// Text a child reads by name, without a file anyone else can see or swap: written to a file in a fresh mkdtemp
// directory (mode 0700, unpredictable name), both removed at once; the open descriptor is handed to the child, which
// reopens it as /dev/fd/N (also inside the matrix builds' chroot). A pipe would not do: node's extra stdio pipes are
// sockets, and opening /dev/fd/N of a socket fails (ENXIO).
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** An open descriptor of an already removed file holding text; the caller closes it once the child has it. */
export const unlinkedFile = (text: string): number => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-'));
  try {
    const fd = openSync(path.join(dir, 'input'), 'wx+', 0o600);
    try {
      writeSync(fd, text);
      return fd;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
