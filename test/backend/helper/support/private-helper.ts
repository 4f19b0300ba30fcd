// SPDX-License-Identifier: GPL-3.0-or-later
// A helper path in a private folder, whose btf/ a test fills with minimal BTF files of its own.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const privateHelper = async (): Promise<{ helper: string; remove: () => Promise<void> }> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ebpf-minbtf-'));
  return { helper: path.join(dir, 'ebpf-process-helper'), remove: () => rm(dir, { recursive: true, force: true }) };
};

export const placeBtf = async (file: string, content: string | Buffer = 'btf'): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content, { mode: 0o644 });
};
