// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's limits.gen.h states src/limits.ts in C, and the emitter make runs prints exactly that.
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { limitsHeader } from '../../../src/backend/helper/c-sources/limits-header.js';
import { commCharacters, helperIntervalMs, helperMaps, pidMaxLimit, taskCommLength } from '../../../src/limits.js';
import { repoRoot } from './support/build.js';

const emitter = path.join(repoRoot, 'dist/emit-c-sources.js');

test('every shared limit is a macro of its TypeScript value', (t) => {
  const header = limitsHeader();
  for (const [name, value] of [
    ['INTERVAL_MS_MIN', helperIntervalMs.min],
    ['INTERVAL_MS_MAX', helperIntervalMs.max],
    ['PID_MAX', pidMaxLimit],
    ['COMM_LEN', taskCommLength],
    ['COMM_NAME_MAX', taskCommLength - 1],
    ['COMM_CHARS', JSON.stringify(commCharacters)],
    ['TRACKED_MAX', helperMaps.trackedTasks],
    ['STASH_MAX', helperMaps.stashedCalls],
  ] as const) {
    t.true(header.includes(`\n#define ${name} ${value}\n`), name);
  }
});

test('the built emitter prints the header, and names the sources it knows for an unknown one', async (t) => {
  t.is((await execa('node', [emitter, 'limits'])).stdout, limitsHeader().trimEnd());
  const unknown = await execa('node', [emitter, 'nonsense'], { reject: false });
  t.is(unknown.exitCode, 2);
  t.regex(unknown.stderr, /unknown source "nonsense"; expected one of: limits/);
});
