// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel matrix's fresh run (scripts/kernel-matrix.sh, which scripts/test.sh runs before the suite): every
// Debian kernel booted, and every selftest cell it ran inside counted exactly, or was refused for a reason the kernel's
// own facts give (check.json). The table of the last committed run is checked in matrix-table.unit.test.ts.
import test from 'ava';
import { testUnless } from '../helpers/kernel-skips.js';
import { dialectFor } from '../../src/backend/bpftrace/dialect.js';
import { missingBtfDetail, missingKernelBtf } from '../../src/backend/bpftrace/kernel-btf-seen.js';
import { kernelFactsSchema } from '../../src/kernel/facts.js';
import { readMatrixRun, realFacts, suites, suitesRun } from './matrix-results.js';

const runs = readMatrixRun();

for (const run of runs) {
  test(`Debian ${run.suite}'s kernel booted and ran its cells`, (t) => {
    t.is(run.failed, undefined, `${run.suite}: ${run.failed}`);
    t.true(run.cells.length > 0, `${run.suite}: the guest recorded no cell (see its console.log under the results)`);
  });
  for (const cell of run.cells) {
    const { refused } = cell;
    if (refused) {
      test(`${run.suite} ${run.release ?? ''}: ${cell.id} is refused for a reason of this kernel's`, (t) => {
        const facts = kernelFactsSchema.safeParse(realFacts(run.suite));
        const version = /^bpftrace (\S+) /.exec(refused)?.[1];
        t.true(facts.success, `${run.suite}: the guest's check.json does not parse`);
        const missing = facts.success && version ? missingKernelBtf(facts.data, dialectFor(version)) : undefined;
        t.is(refused, missing ? missingBtfDetail(missing) : '(none)', `${cell.id}: not a reason this kernel's facts give`);
      });
      continue;
    }
    const { kernelSkipped } = cell;
    if (kernelSkipped) {
      // selftest passed it short only of runs the kernel skipped, and said why (src/selftest/recursion-misses.ts).
      test(`${run.suite} ${run.release ?? ''}: ${cell.id} counts exactly but for runs the kernel skipped`, (t) => {
        t.log(kernelSkipped);
        t.regex(kernelSkipped, /^release \d+ of \d+: /, `${cell.id}: only releases fire where the kernel skips runs`);
      });
      continue;
    }
    test(`${run.suite} ${run.release ?? ''}: ${cell.id} counts exactly`, (t) => {
      t.true(
        cell.exact,
        `${cell.result} (attach kinds: ${cell.kinds.join(', ') || 'none'}; results/${run.suite}/cells/${cell.id}.txt:)\n${cell.output}`,
      );
    });
  }
}

// A suite left out of this run is listed as skipped with the reason, never counted as passed.
for (const suite of suites.filter((each) => !suitesRun.includes(each))) {
  testUnless(
    `not in EBPF_PROCESS_KERNEL_SUITES='${suitesRun.join(' ')}' (scripts/test.sh boots all four unless it names ` +
      "fewer, or 'none': docs/attach-points.md)",
    `Debian ${suite}'s kernel booted and ran its cells`,
    (t) => t.fail(),
  );
}

test('every suite asked for was run', (t) => {
  t.deepEqual(
    runs.map((run) => run.suite),
    suites.filter((suite) => suitesRun.includes(suite)),
  );
});
