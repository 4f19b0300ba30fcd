// SPDX-License-Identifier: GPL-3.0-or-later
// A fresh temporary directory, or a file written into one, for one test; removed however the test ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const withTempDir = async (run: (dir: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-'));
  try {
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const withTempFile = (name: string, content: string | Buffer, run: (file: string) => Promise<void>): Promise<void> =>
  withTempDir(async (dir) => {
    writeFileSync(path.join(dir, name), content);
    await run(path.join(dir, name));
  });
