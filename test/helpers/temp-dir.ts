// SPDX-License-Identifier: GPL-3.0-or-later
// A private directory for one test's files, removed however the test ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const withDir = async (run: (dir: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-test-'));
  try {
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** A file holding `content`, readable by its owner only (as a config would be), in a private directory. */
export const withFile = (content: string | Buffer, use: (file: string) => Promise<void>): Promise<void> => withDir(async (dir) => {
  const file = path.join(dir, 'ebpf_process.conf');
  writeFileSync(file, content, { mode: 0o600 });
  await use(file);
});
