// SPDX-License-Identifier: GPL-3.0-or-later
// What a passing filtered `selftest` prints: every counter exact, or short only where the kernel's recursion
// guard skipped a release (src/selftest/recursion-misses.ts), which the selftest must then say row by row.
import type { ExecutionContext } from 'ava';

const exact = /Result: every counter equals what the workload did[.:]/;
const exactButSkipped = /Result: every counter equals what the workload did, but for runs the kernel skipped/;

export const assertSelftestExact = (t: ExecutionContext, stdout: string): void => {
  t.notRegex(stdout, /MISMATCH/, stdout);
  const skippedRows = stdout.split('\n').filter((line) => / SKIPPED /.test(line));
  if (skippedRows.length === 0) {
    t.regex(stdout, exact, stdout);
    return;
  }
  t.regex(stdout, exactButSkipped, stdout);
  for (const row of skippedRows) t.regex(row, /^release\s+(\d+)\s+(\d+)\s+SKIPPED /, 'only releases are excused');
  t.regex(stdout, /note: the kernel skipped \d+ run\(s\) of this backend's programs/, stdout);
};
