// SPDX-License-Identifier: GPL-3.0-or-later
// Builds the real helper (make) and the C workload the tests count.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { helperPath } from '../../../../src/backend/helper/locate-helper.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../../..');
export const bpfObject = path.join(repoRoot, 'bpf-fallback/.output/process.bpf.o');

// Once per test file: tests of a file run concurrently, and two makes would relink under each other.
let built: Promise<string> | undefined;
export const buildHelper = (): Promise<string> => {
  built ??= execa('make', ['-C', path.join(repoRoot, 'bpf-fallback')]).then(() => helperPath());
  return built;
};

/** The binary's name is its comm: give a unique one to count it with --comm. */
export const buildWorkload = async (name = 'workload'): Promise<{ bin: string; dir: string }> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-workload-'));
  const bin = path.join(dir, name);
  await execa('gcc', ['-Wall', '-O2', '-pthread', path.join(here, '../fixtures/workload.c'), '-o', bin]);
  return { bin, dir };
};
