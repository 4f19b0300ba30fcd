// SPDX-License-Identifier: GPL-3.0-or-later
// A file written into a fresh temporary directory for one test, removed afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const withTempFile = async (name: string, content: string | Buffer, run: (file: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-'));
  try {
    writeFileSync(path.join(dir, name), content);
    await run(path.join(dir, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
