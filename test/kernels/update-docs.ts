// SPDX-License-Identifier: GPL-3.0-or-later
// After scripts/kernel-matrix.sh: record the run in docs/kernel-matrix.json, each booted kernel's real facts as
// test/fixtures/kernels/<fixture>-real.json (then UPDATE_GOLDEN=1 for their plans and scripts), and the table
// into docs/attach-points.md and README.md. `node --import=tsx test/kernels/update-docs.ts`
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { asFixture } from '../fixtures/kernels/as-fixture.js';
import { repoRoot } from '../helpers/run-plugin.js';
import { readMatrixRun, realFacts } from './matrix-results.js';
import { matrixRecord, realFixtureNames } from './matrix-record.js';
import { matrixDocs, withGenerated } from './matrix-table.js';

const recordedBy = (suite: string): string => `recorded in a qemu guest on Debian's ${suite} kernel by scripts/kernel-matrix.sh`;

const runs = readMatrixRun();
writeFileSync(matrixRecord, `${JSON.stringify(runs, null, 2)}\n`);
for (const run of runs) {
  const facts = realFacts(run.suite);
  if (!facts) continue;
  const file = path.join(repoRoot, 'test/fixtures/kernels', `${realFixtureNames[run.suite]}.json`);
  writeFileSync(file, `${JSON.stringify(asFixture(facts as never, recordedBy(run.suite)), null, 2)}\n`);
}
for (const { doc, markers, text } of matrixDocs(runs)) {
  const file = path.join(repoRoot, doc);
  writeFileSync(file, withGenerated(readFileSync(file, 'utf8'), markers, text));
}
console.log(`wrote ${matrixRecord}, the real fact sets and the table; now UPDATE_GOLDEN=1 npm run test:unit`);
