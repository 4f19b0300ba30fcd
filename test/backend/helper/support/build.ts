// SPDX-License-Identifier: GPL-3.0-or-later
// Builds the real helper (make) once per test file.
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
