// SPDX-License-Identifier: GPL-3.0-or-later
// Expected counts from a hand-made workload report and real plans of recorded kernels. Every count below is
// worked out in the test from the report's numbers (chosen distinct, so a mixed-up term shows) and the
// kernel facts stated beside it, not copied from the code's output.
import test from 'ava';
import { expectCounts, type Expectations } from '../../src/selftest/expected.js';
import {
  parseWorkloadReport,
  succeeds,
  type CallKind,
  type WorkloadCall,
  type WorkloadReport,
} from '../../src/selftest/workload-report.js';
import type { CounterId, Mode } from '../../src/plan/counters.js';
import type { TracingChoice } from '../../src/plan/families.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { KernelFacts } from '../../src/kernel/facts.js';
import { loadKernelFixture } from '../plan/kernel-fixtures.js';

const tally = (call: WorkloadCall, kind: CallKind, calls: number, requested = 0, transferred = 0) => ({
  call,
  kind,
  calls,
  failed: succeeds(kind) ? 0 : calls,
  requested,
  transferred,
});

const report: WorkloadReport = parseWorkloadReport(
  JSON.stringify({
    event: 'report',
    version: 1,
    pid: 4242,
    rounds: 1,
    calls: [
      tally('open', 'ok', 2),
      tally('open', 'missing', 3),
      tally('openat', 'ok', 5),
      tally('openat', 'missing', 7),
      tally('openat2', 'ok', 11),
      tally('openat2', 'missing', 13),
      tally('creat', 'ok', 17),
      tally('close', 'ok', 19),
      tally('close', 'fd_not_open', 23),
      tally('unlink', 'ok', 1),
      tally('unlink', 'missing', 2),
      tally('unlink', 'is_dir', 4),
      tally('unlinkat', 'ok', 8),
      tally('unlinkat', 'missing', 16),
      tally('unlinkat', 'is_dir', 32),
      tally('unlinkat', 'rmdir', 64),
      tally('read', 'ok', 3, 3000, 2500),
      tally('read', 'fd_not_open', 1, 10),
      tally('read', 'wrong_mode', 2, 20),
      tally('pread64', 'ok', 4, 400, 300),
      tally('pread64', 'fd_not_open', 1, 7),
      tally('pread64', 'wrong_mode', 1, 9),
      tally('readv', 'ok', 5, 500, 450),
      tally('readv', 'fd_not_open', 1, 50),
      tally('preadv', 'ok', 6, 600, 600),
      tally('preadv2', 'ok', 7, 700, 100),
      tally('preadv2', 'wrong_mode', 1, 70),
      tally('write', 'ok', 2, 200, 200),
      tally('write', 'fd_not_open', 1, 5),
      tally('pwritev2', 'ok', 3, 90, 90),
      tally('fork', 'ok', 3),
      tally('pthread_create', 'ok', 5),
      tally('clone', 'thread_einval', 2),
      tally('clone', 'process_einval', 4),
      tally('clone3', 'bad_size', 8),
    ],
    tasks: { exited: 8, released: 8 },
    barrier: {
      start: { call: 'read', requested: 1, transferred: 1 },
      done: { call: 'write', requested: 17, transferred: 17 },
      end: { call: 'read', requested: 1, transferred: 1 },
    },
  }),
);

const expectationsFor = async (fixture: string, mode: Mode, tracing: TracingChoice, change: Partial<KernelFacts> = {}) => {
  const { facts } = await loadKernelFixture(fixture);
  return expectCounts(report, planProbes({ ...facts, ...change }, { mode, tracing, backend: 'bpftrace' }));
};

const counter = (expectations: Expectations, id: CounterId) => {
  const found = expectations.counters.find((candidate) => candidate.counter === id);
  if (!found) throw new Error(`no expectation for ${id}`);
  return found;
};

const notesOf = (expectations: Expectations, id: CounterId) => counter(expectations, id).notes.join('\n');

test('syscall tracepoints in return mode count every call, the start barrier read and the bytes transferred', async (t) => {
  const expectations = await expectationsFor('host-6.18', 'return', 'tracepoint');
  for (const item of expectations.counters) t.is(item.expected, item.bySyscalls, `${item.counter} sees what the syscalls did`);
  const value = (id: CounterId) => counter(expectations, id).expected;
  t.is(value('open'), 2 + 3 + 5 + 7 + 11 + 13 + 17);
  t.is(value('open_error'), 3 + 7 + 13);
  t.is(value('close'), 19 + 23);
  t.is(value('close_error'), 23);
  t.is(value('unlink'), 1 + 2 + 4 + 8 + 16 + 32, 'the 64 directories removed with AT_REMOVEDIR are not deletes');
  t.is(value('unlink_error'), 2 + 4 + 16 + 32);
  t.is(value('read'), 3 + 1 + 2 + 4 + 1 + 1 + 5 + 1 + 6 + 7 + 1 + 1, 'the last 1 is the start barrier read returning');
  t.is(value('read_bytes'), 2500 + 300 + 450 + 600 + 100 + 1);
  t.is(value('read_error'), 1 + 2 + 1 + 1 + 1 + 1);
  t.is(value('write'), 2 + 1 + 3 + 1, 'the last 1 is the done line');
  t.is(value('write_bytes'), 200 + 90 + 17);
  t.is(value('write_error'), 1);
  t.is(value('process'), 3);
  t.is(value('thread'), 5);
  t.is(value('process_error'), 4);
  t.is(value('thread_error'), 2 + 8, 'clone3 with a short clone_args asked for CLONE_THREAD');
  t.is(value('exit'), 8);
  t.is(value('release'), 8);
  t.regex(notesOf(expectations, 'read'), /includes 1 from the start barrier's read/);
  t.regex(notesOf(expectations, 'release'), /RCU grace period/);
  t.deepEqual(expectations.uncollected, []);
});

test('entry mode counts the count argument of read and pread64 only, and the end barrier read that enters', async (t) => {
  const expectations = await expectationsFor('host-6.18', 'entry', 'tracepoint');
  const value = (id: CounterId) => counter(expectations, id).expected;
  t.is(value('read'), 3 + 1 + 2 + 4 + 1 + 1 + 5 + 1 + 6 + 7 + 1 + 1, 'the last 1 is the end barrier read entering');
  t.is(value('read_bytes'), 3000 + 10 + 20 + 400 + 7 + 9 + 1, 'failed calls asked for bytes too; vectored ones add none');
  t.is(value('write_bytes'), 200 + 5 + 17);
  t.regex(notesOf(expectations, 'read_bytes'), /vectored calls asked for 1920 bytes and add none/);
  t.false(
    expectations.counters.some((item) => item.counter.endsWith('_error')),
    'entry mode has no error counters',
  );
});

test('kernel functions miss the calls that fail before them, and say why', async (t) => {
  // Debian 12 (6.1) with BTF: fexit on do_sys_openat2, close_fd, vfs_unlink, vfs_read(v), vfs_write(v), kernel_clone.
  const expectations = await expectationsFor('debian-12-6.1', 'return', 'trampoline');
  const value = (id: CounterId) => counter(expectations, id).expected;
  t.deepEqual(counter(expectations, 'unlink').attachPoints, ['fexit:vfs_unlink']);
  t.is(value('open'), 2 + 3 + 5 + 7 + 11 + 13 + 17, 'ENOENT happens inside do_sys_openat2');
  t.is(value('close_error'), 23, 'close_fd runs for a bad descriptor and returns -EBADF');
  t.is(value('unlink'), 1 + 4 + 8 + 32, 'ENOENT at path lookup never reaches vfs_unlink; EISDIR comes from it');
  t.is(value('unlink_error'), 4 + 32);
  t.regex(notesOf(expectations, 'unlink'), /^18 not counted: path lookup fails with ENOENT before vfs_unlink/m);
  t.is(value('read'), 3 + 2 + 4 + 1 + 5 + 6 + 7 + 1, 'no fd_not_open calls, no start barrier read');
  t.is(value('read_error'), 2 + 1 + 1, 'wrong_mode fails inside vfs_read(v)');
  t.is(value('read_bytes'), 2500 + 300 + 450 + 600 + 100);
  t.regex(notesOf(expectations, 'read'), /fexit counts only calls whose entry it saw \(the start barrier's read\)/);
  t.is(value('thread_error'), 2, 'short clone_args is refused before kernel_clone');
  t.regex(notesOf(expectations, 'thread_error'), /^8 not counted: clone3\(2\) refuses/m);
  t.is(value('process_error'), 4);
  t.is(counter(expectations, 'thread_error').bySyscalls, 10);
});

test('kernel functions in entry mode see the count argument of calls that reach vfs_read', async (t) => {
  const expectations = await expectationsFor('debian-12-6.1', 'entry', 'trampoline');
  t.is(counter(expectations, 'read_bytes').expected, 3000 + 20 + 400 + 9 + 1);
  t.is(counter(expectations, 'read_bytes').bySyscalls, 3000 + 10 + 20 + 400 + 7 + 9 + 1);
});

test('do_sys_open misses openat2, and a kernel without the openat2 tracepoint says so', async (t) => {
  // Ubuntu 18.04 (4.15): kprobes on do_sys_open; its tracepoints have no openat2 (added in 5.6).
  const probes = await expectationsFor('ubuntu-18.04-4.15', 'return', 'probe');
  t.deepEqual(counter(probes, 'open').attachPoints, ['kretprobe:do_sys_open']);
  t.is(counter(probes, 'open').expected, 2 + 3 + 5 + 7 + 17);
  t.regex(notesOf(probes, 'open'), /^24 not counted: openat2 does not run do_sys_open/m);
  const tracepoints = await expectationsFor('ubuntu-18.04-4.15', 'entry', 'tracepoint');
  t.regex(notesOf(tracepoints, 'open'), /^24 not counted: the plan has no syscalls:sys_enter_openat2/m);
});

test('counters whose probe has no attach point are listed with the reasons', async (t) => {
  const expectations = await expectationsFor('host-6.18', 'return', 'auto', { tracefs: null, kprobes: false, btf: false });
  t.deepEqual(expectations.counters, []);
  const open = expectations.uncollected.find((item) => item.counter === 'open_error');
  t.truthy(open);
  t.regex(open!.reason, /kprobes/);
  t.regex(open!.reason, /tracefs is not mounted/);
});

test('the report schema refuses a report that contradicts itself', (t) => {
  const valid = JSON.parse(JSON.stringify(report)) as { calls: Record<string, unknown>[] };
  const variant = (change: (calls: Record<string, unknown>[]) => void) => {
    const copy = JSON.parse(JSON.stringify(valid)) as { calls: Record<string, unknown>[] };
    change(copy.calls);
    return JSON.stringify(copy);
  };
  t.throws(
    () =>
      parseWorkloadReport(
        variant((calls) => {
          calls[1]!.failed = 1;
        }),
      ),
    { message: /open \(missing\): expected 3 of 3 calls to fail/ },
  );
  t.throws(
    () =>
      parseWorkloadReport(
        variant((calls) => {
          calls[0]!.kind = 'is_dir';
        }),
      ),
    { message: /never makes this kind of open call/ },
  );
  t.throws(
    () =>
      parseWorkloadReport(
        variant((calls) => {
          calls.push(calls[0]!);
        }),
      ),
    { message: /open \(ok\) is reported twice/ },
  );
  t.throws(
    () =>
      parseWorkloadReport(
        variant((calls) => {
          calls[16]!.transferred = 5000;
        }),
      ),
    { message: /transferred 5000 bytes of 3000/ },
  );
  t.throws(() => parseWorkloadReport('not json'), { message: /not JSON/ });
});
