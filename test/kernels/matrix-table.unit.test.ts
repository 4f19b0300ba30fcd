// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel table in docs/attach-points.md and README.md is the one update-docs.ts renders from the committed
// record of the last run (docs/kernel-matrix.json), not typed by hand; the run itself: kernel-matrix.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/run-plugin.js';
import type { KernelRun } from './matrix-results.js';
import { matrixRecord } from './matrix-record.js';
import { matrixDocs, renderMatrixSummary, renderMatrixTable, withGenerated } from './matrix-table.js';

const recorded = JSON.parse(readFileSync(matrixRecord, 'utf8')) as KernelRun[];

for (const { doc, markers, text } of matrixDocs(recorded)) {
  test(`${doc} shows the kernel matrix rendered from docs/kernel-matrix.json`, (t) => {
    const current = readFileSync(path.join(repoRoot, doc), 'utf8');
    t.is(withGenerated(current, markers, text), current, 'regenerate it: node --import=tsx test/kernels/update-docs.ts');
  });
}

test('a cell that failed says so with its result; a kernel that did not run says why', (t) => {
  const runs: KernelRun[] = [
    { suite: 'bullseye', failed: 'guest hung: no poweroff within 10 s', cells: [] },
    {
      suite: 'bookworm',
      release: '6.1.0-1-amd64',
      seconds: 5,
      cells: [
        {
          id: 'helper_probe_return',
          backend: 'helper',
          probeType: 'probe',
          mode: 'return',
          who: false,
          exact: true,
          kinds: ['kprobe', 'kretprobe'],
          result: 'Result: every counter equals what the workload did.',
        },
        {
          id: 'bpftrace-host_probe_return',
          backend: 'bpftrace-host',
          probeType: 'probe',
          mode: 'return',
          who: false,
          exact: false,
          kinds: ['kretprobe'],
          result: 'Result: 1 counter differs | close_error',
        },
        {
          id: 'bpftrace-host_probe_entry',
          backend: 'bpftrace-host',
          probeType: 'probe',
          mode: 'entry',
          who: false,
          exact: false,
          kinds: [],
          result: 'no Result line (exit 1): ebpf-process: --backend bpftrace cannot run here: ...',
          refused: 'bpftrace 0.17.0 sees no BTF | here',
        },
      ],
    },
  ];
  const table = renderMatrixTable(runs);
  t.regex(table, /\*\*bullseye\*\* \(release unknown\): not run: guest hung: no poweroff within 10 s/);
  t.regex(table, /\| helper \| — \| — \| — \| exact: kprobe\+kretprobe \|/);
  t.true(
    table.includes(
      '| bpftrace 0.17 (host) | — | — | not run: bpftrace 0.17.0 sees no BTF \\| here | ' +
        '**FAILED**: kretprobe; Result: 1 counter differs \\| close_error |',
    ),
  );
  const summary = renderMatrixSummary(runs);
  t.regex(
    summary,
    /^\| bookworm \| 6\.1\.0-1-amd64 \| 1 of 3 exact \(kprobe, kretprobe\); 1 not run, with the kernel's reason in the table; failed: /m,
  );
  t.regex(summary, /^\| bullseye \| \? \| not run: guest hung/m);
});
