// SPDX-License-Identifier: GPL-3.0-or-later
// selftest's printed text from a result object: the column widths and verdict words the host tests, the kernel
// matrix (test/kernels/) and test/helpers/selftest-result.ts read, for rows a quiet host rarely shows (SKIPPED,
// MISMATCH, a key table that does not add up). Every expected line is written out by hand.
import test from 'ava';
import { selftestText } from '../../src/cli/selftest-text.js';
import type { SelftestResult } from '../../src/selftest/run-selftest.js';

const base: SelftestResult = {
  ran: {
    rounds: 1,
    mode: 'return',
    backend: { backend: 'bpftrace', available: true, detail: 'bpftrace 0.23.0 at /usr/bin/bpftrace' },
    kernel: '6.1.0',
    systemWide: false,
    who: undefined,
  },
  intervals: 2,
  backgroundIntervals: 3,
  host: [
    { counter: 'open', expected: 8, counted: 8, verdict: 'ok', attachPoints: ['tracepoint:a'], notes: ['one note'] },
    { counter: 'exit', expected: 4, counted: 3, verdict: 'MISMATCH', attachPoints: ['tracepoint:b'], notes: [] },
    { counter: 'release', expected: 4, counted: 3, verdict: 'SKIPPED', attachPoints: ['tracepoint:c', 'tracepoint:d'], notes: [] },
  ],
  uncollected: [{ counter: 'thread', probe: 'task_create', reason: 'tracepoint: absent' }],
  keyed: [],
  skips: { runs: 2n },
  failures: 1,
  skippedRows: 1,
  verdict: 'failed',
};

const skipNote =
  "note: the kernel skipped 2 run(s) of this backend's programs in the window (recursion_misses): a release fires in softirq, " +
  'and a perf tracepoint program is not run when that interrupts another tracing BPF program on the same CPU; the shortfall is within them';

test('the filtered table pads each verdict as it always has, and notes a kernel skip under its row', (t) => {
  t.deepEqual(selftestText(base).split('\n'), [
    'selftest: 1 rounds, mode return, backend bpftrace, kernel 6.1.0',
    'bpftrace 0.23.0 at /usr/bin/bpftrace',
    '',
    'counter         expected   counted  verdict  attach points',
    'open                   8         8  ok      tracepoint:a',
    `${' '.repeat(44)}note: one note`,
    'exit                   4         3  MISMATCH tracepoint:b',
    'release                4         3  SKIPPED  tracepoint:c, tracepoint:d',
    `${' '.repeat(44)}${skipNote}`,
    'thread         not collected here: tracepoint: absent',
    '',
    'Result: 1 counter(s) differ from the workload.',
  ]);
});

test('system-wide: excess and allowance columns, the verdict padded to 7, no expectation notes', (t) => {
  const result: SelftestResult = {
    ...base,
    ran: { ...base.ran, systemWide: true },
    host: [
      {
        counter: 'open',
        expected: 8,
        counted: 20,
        verdict: 'ok',
        attachPoints: ['tracepoint:a'],
        notes: ['unprinted'],
        excess: 12,
        allowance: 40,
      },
      {
        counter: 'release',
        expected: 4,
        counted: 3,
        verdict: 'SKIPPED',
        attachPoints: ['tracepoint:c'],
        notes: [],
        excess: -1,
        allowance: 8,
      },
    ],
    uncollected: [],
    failures: 0,
    verdict: 'skipped',
  };
  t.deepEqual(selftestText(result).split('\n'), [
    'selftest: 1 rounds, mode return, backend bpftrace, kernel 6.1.0, system-wide',
    'bpftrace 0.23.0 at /usr/bin/bpftrace',
    '',
    'unfiltered: the window of 2 interval(s) holds the workload and the rest of the host; the allowance is twice the busiest of 6 ' +
      'background intervals around it (at least one call), per interval of the window',
    '',
    'counter         expected     counted      excess   allowance  verdict  attach points',
    'open                   8          20          12          40  ok       tracepoint:a',
    'release                4           3          -1           8  SKIPPED  tracepoint:c',
    `${' '.repeat(60)}${skipNote}`,
    '',
    "Result: every counter reached the workload's number within the host's background, but for runs the kernel skipped " +
      '(SKIPPED: see the note; rerun on a quieter host to see them counted).',
  ]);
});

test('key tables: a heading per own value, a row not kept per key, one that does not add up, and what was checked', (t) => {
  const keyedRow = { counter: 'open' as const, expected: 8, own: [8n, 8n], allValues: 9n, host: 10n, addsUp: false, kernelSkipped: false };
  const result: SelftestResult = {
    ...base,
    ran: { ...base.ran, who: { cgroups: { tableSize: 10 }, apps: { tableSize: 10 } } },
    host: [base.host[0]!],
    uncollected: [],
    keyed: [
      {
        subject: { key: 'cgroup', path: '/sys/fs/cgroup/run-x', id: 42n },
        valuesCounted: 3,
        headings: ['cgroup'],
        rows: [
          {
            counter: 'release',
            expected: 4,
            own: [],
            allValues: 0n,
            host: 4n,
            unkeptAt: ['tracepoint:c'],
            addsUp: true,
            kernelSkipped: false,
          },
        ],
        unkept: ['release'],
      },
      {
        subject: { key: 'comm', comm: 'workload', group: 'other', groupsFile: undefined },
        valuesCounted: 5,
        headings: ['comm workload', 'group other'],
        rows: [{ ...keyedRow, verdict: 'MISMATCH' }],
        unkept: [],
      },
    ],
    failures: 1,
    verdict: 'failed',
  };
  t.deepEqual(selftestText(result).split('\n').slice(6), [
    '',
    'per cgroup: the workload ran in /sys/fs/cgroup/run-x (id 42), made for this run; 3 cgroup(s) counted',
    'counter         expected    cgroup all cgroups      host  verdict',
    'release                4         -           -         4  not kept per cgroup on this attach point (tracepoint:c)',
    '',
    'per command name: the workload runs as "workload", in group `other` of no apps_groups.conf; 5 command name(s) counted',
    'counter         expected comm workload group other all comms      host  verdict',
    'open                   8             8           8         9        10  MISMATCH',
    `${' '.repeat(15)}note: the comms add up to 9, the host counted 10 in the same window`,
    '',
    'Result: 1 counter(s) differ from the workload.',
  ]);
  const passing = { ...result, keyed: result.keyed.map((table) => ({ ...table, rows: [] })), failures: 0, verdict: 'exact' as const };
  t.is(
    selftestText(passing).split('\n').at(-1),
    'Result: every counter equals what the workload did: on the host, in its cgroup (but release, not kept per cgroup here) and ' +
      "under its command name and its group `other`; each key's values add up to the host's counts.",
  );
});
