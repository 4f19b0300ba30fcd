// SPDX-License-Identifier: GPL-3.0-or-later
// Where auto counts releases: release_task before a sched_process_free the backend could hook only as a perf
// tracepoint (found on Debian 12's real 6.1: bpftrace 0.17 lost a release there with nothing counting the skip).
import test from 'ava';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { PlanRequest } from '../../src/plan/plan-types.js';
import type { KernelFacts } from '../../src/kernel/facts.js';
import { loadKernelFixture } from './kernel-fixtures.js';

const bookworm = (await loadKernelFixture('debian-12-6.1-real')).facts;
const host = (await loadKernelFixture('host-6.18')).facts;

const release = (facts: KernelFacts, request: Partial<PlanRequest>) => {
  const plan = planProbes(facts, { mode: 'entry', tracing: 'auto', backend: 'bpftrace', ...request });
  const probe = plan.probes.find((candidate) => candidate.probe === 'release')!;
  return { points: probe.chosen?.attachPoints, rejected: probe.rejected.map(({ family, reason }) => `${family}: ${reason}`) };
};

const withBpftrace = (facts: KernelFacts, version: string): KernelFacts => ({ ...facts, bpftrace: { path: '/usr/bin/bpftrace', version } });

test('bpftrace 0.17 releases on release_task where fentry works, and says why the tracepoint went last', (t) => {
  const { points, rejected } = release(withBpftrace(bookworm, '0.17.0'), {});
  t.deepEqual(points, ['fentry:release_task']);
  t.is(rejected.length, 1);
  t.regex(rejected[0]!, /^tracepoint: sched:sched_process_free would be a perf tracepoint \(no rawtracepoint before bpftrace 0\.23/);
});

test('without fentry, a kprobe on release_task comes before the perf tracepoint', (t) => {
  const { points } = release({ ...withBpftrace(bookworm, '0.17.0'), trampoline: 'refused' }, {});
  t.deepEqual(points, ['kprobe:release_task']);
});

test('the perf tracepoint stays where no function family is usable, each refusal said', (t) => {
  const { points, rejected } = release(withBpftrace(host, '0.17.0'), {});
  t.deepEqual(points, ['tracepoint:sched:sched_process_free']);
  t.deepEqual(
    rejected.map((line) => line.split(':')[0]),
    ['trampoline', 'probe'],
  );
});

test('a raw hook keeps the tracepoint first: the helper, and bpftrace 0.23 with kernel BTF', (t) => {
  t.deepEqual(release(bookworm, { backend: 'helper' }).points, ['tracepoint:sched:sched_process_free']);
  t.deepEqual(release(withBpftrace(bookworm, '0.23.2'), {}).points, ['tracepoint:sched:sched_process_free']);
  t.deepEqual(release(withBpftrace(bookworm, '0.23.2'), {}).rejected, []);
});

test('0.27 where the kernel shows available_filter_functions (perf tracepoint there) takes release_task', (t) => {
  t.deepEqual(release(withBpftrace({ ...bookworm, filterFunctionsReadable: true }, '0.27.1'), {}).points, ['fentry:release_task']);
});

test('an explicit tracing choice is kept as asked', (t) => {
  t.deepEqual(release(withBpftrace(bookworm, '0.17.0'), { tracing: 'tracepoint' }).points, ['tracepoint:sched:sched_process_free']);
});
