// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a kernel-matrix run (matrix-results.ts) from recorded guest output: test/fixtures/kernel-matrix/bookworm
// holds two cells of the first run on Debian 12's 6.1 (one exact, one that bpftrace 0.17 refused), a twin, and a
// bpftrace 0.27 cell whose selftest fell back to the helper (before selftest refused to);
// .../bullseye one cell of 5.10 that bpftrace 0.17 refused with one error per line (the whole stderr, since kept), one
// whose selftest refused bpftrace 0.17 there (it cannot find 5.10's BTF), and a twin of that refusal;
// .../bookworm-uncounted a cell of 6.1 where bpftrace 0.17's perf tracepoint lost a release (the kernel counts no
// such skip before 6.7), as selftest printed it in the guest at 101653e (SKIPPED, with the kernel's reason), the same
// cell with a read short too, and a helper cell short of a release (raw: selftest gives no reason).
import path from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/run-plugin.js';
import { readKernelRun } from './matrix-results.js';

const run = readKernelRun('bookworm', path.join(repoRoot, 'test/fixtures/kernel-matrix/bookworm'));

test('a cell is exact when selftest says every counter equals, with the attach kinds its table lists', (t) => {
  const cell = run.cells.find((candidate) => candidate.id === 'bpftrace-host_probe_return');
  t.like(cell, { backend: 'bpftrace-host', probeType: 'probe', mode: 'return', who: false, exact: true });
  t.deepEqual(cell?.kinds, ['kprobe', 'kretprobe']);
});

test('a cell without a Result line fails with the start of its output, and keeps all of it', (t) => {
  const cell = run.cells.find((candidate) => candidate.id === 'bpftrace-host_trampoline_return');
  t.false(cell?.exact);
  t.regex(cell?.result ?? '', /no Result line \(exit 1\): .*mixed arguments/);
  t.regex(cell?.output ?? '', /^ebpf-process: bpftrace exited before its first sample: .*mixed arguments$/);
});

test('a cell that failed with a multi-line error keeps its cause, which comes first, and all its lines', (t) => {
  const [cell] = readKernelRun('bullseye', path.join(repoRoot, 'test/fixtures/kernel-matrix/bullseye')).cells;
  t.false(cell?.exact);
  t.is(
    cell?.result,
    'no Result line (exit 1): ebpf-process: bpftrace exited before its first sample: ' +
      'stdin:39-41: ERROR: kfunc:do_sys_openat2: BTF data not available',
  );
  t.is(cell?.output?.split('\n').length, 27);
});

test('a twin shares the result of the cell whose plan it has, and says so', (t) => {
  t.like(
    run.cells.find((candidate) => candidate.id === 'bpftrace-host_auto_return'),
    { probeType: 'auto', exact: true, sameAs: 'bpftrace-host_probe_return', kinds: ['kprobe', 'kretprobe'] },
  );
  t.is(run.release, '6.1.0-50-amd64');
  t.is(run.failed, undefined);
});

test('a cell whose selftest tested another backend than its own fails, saying which it tested', (t) => {
  t.like(
    run.cells.find((candidate) => candidate.id === 'bpftrace-sid_auto_return'),
    { exact: false, result: 'selftest tested the helper backend, not bpftrace-sid' },
  );
});

test("a cell whose selftest refused its backend on this kernel carries selftest's reason, and so does its twin", (t) => {
  const cells = readKernelRun('bullseye', path.join(repoRoot, 'test/fixtures/kernel-matrix/bullseye')).cells;
  const refused = cells.find((candidate) => candidate.id === 'bpftrace-host_probe_return');
  t.false(refused?.exact);
  t.regex(refused?.refused ?? '', /^bpftrace 0\.17\.0 finds kernel BTF only by its BPF id, .*\(fix: bpftrace 0\.18 or later .*\)$/);
  t.like(
    cells.find((candidate) => candidate.id === 'bpftrace-host_tracepoint_return'),
    {
      probeType: 'tracepoint',
      sameAs: 'bpftrace-host_probe_return',
      refused: refused?.refused,
    },
  );
  t.is(cells[0]?.refused, undefined, 'a cell that failed is not a refusal');
});

const uncountedFixture = path.join(repoRoot, 'test/fixtures/kernel-matrix/bookworm-uncounted');

test("a cell selftest passed short only of runs the kernel skipped carries selftest's reason; a failed one does not", (t) => {
  const cells = readKernelRun('bookworm', uncountedFixture).cells;
  const releaseOnly = cells.find((candidate) => candidate.id === 'bpftrace-host_tracepoint_return');
  t.false(releaseOnly?.exact);
  t.regex(
    releaseOnly?.kernelSkipped ?? '',
    /^release 1 of 2: releases are hooked on the perf tracepoint sched_process_free, .* counts no such skip before 6\.7, /,
  );
  const alsoRead = cells.find((candidate) => candidate.id === 'bpftrace-host_tracepoint_entry');
  t.false(alsoRead?.exact);
  t.is(alsoRead?.kernelSkipped, undefined);
  const helper = cells.find((candidate) => candidate.id === 'helper_tracepoint_return');
  t.false(helper?.exact);
  t.is(helper?.kernelSkipped, undefined);
});
