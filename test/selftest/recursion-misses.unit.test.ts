// SPDX-License-Identifier: GPL-3.0-or-later
// When selftest excuses a release shortfall as the kernel's: within the skips it counted, or, on a kernel before 6.7
// that counts none, only where the plan really hooks the perf tracepoint (bpftrace 0.17 forced to tracepoints: on
// Debian 12's real 6.1 it lost a release with nothing counted, and the kernel matrix failed on it).
import test from 'ava';
import type { KernelFacts } from '../../src/kernel/facts.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { PlanRequest } from '../../src/plan/plan-types.js';
import { kernelSkips, skippedByKernel, skippedNote } from '../../src/selftest/recursion-misses.js';
import { loadKernelFixture } from '../plan/kernel-fixtures.js';

const bookworm = (await loadKernelFixture('debian-12-6.1-real')).facts;
const trixie = (await loadKernelFixture('debian-13-6.12-real')).facts;
const withBpftrace = (facts: KernelFacts, version: string): KernelFacts => ({ ...facts, bpftrace: { path: '/usr/bin/bpftrace', version } });

const skipsOf = (facts: KernelFacts, request: Partial<PlanRequest>, runs = 0n) =>
  kernelSkips(runs, planProbes(facts, { mode: 'return', tracing: 'tracepoint', backend: 'bpftrace', ...request }), facts);

test('counted skips excuse a release shortfall up to their number, and nothing but releases', (t) => {
  const skips = skipsOf(withBpftrace(trixie, '0.17.0'), {}, 2n);
  t.is(skips.uncounted, undefined);
  t.true(skippedByKernel('release', 2, skips));
  t.false(skippedByKernel('release', 3, skips));
  t.false(skippedByKernel('exit', 1, skips));
  t.false(skippedByKernel('release', -1, skips), 'a release counted twice is never the kernel skipping it');
  t.regex(skippedNote(skips), /^the kernel skipped 2 run\(s\) of this backend's programs/);
});

test('before 6.7, bpftrace 0.17 forced onto the perf tracepoint: a release shortfall is the kernel reason, with none counted', (t) => {
  const skips = skipsOf(withBpftrace(bookworm, '0.17.0'), {});
  t.regex(
    skips.uncounted ?? '',
    /sched_process_free, which fires in softirq: kernel 6\.1\.0-\d+-amd64 does not run it .* counts no such skip before 6\.7/,
  );
  t.true(skippedByKernel('release', 1, skips));
  t.false(skippedByKernel('read', 1, skips), 'only the counter hooked in softirq');
  t.is(skippedNote(skips), skips.uncounted ?? 'none');
});

test('no reason without a counted skip where releases are not on the perf tracepoint, or the kernel counts its skips', (t) => {
  const cases: Array<[string, KernelFacts, Partial<PlanRequest>]> = [
    ['auto takes release_task', withBpftrace(bookworm, '0.17.0'), { tracing: 'auto' }],
    ['bpftrace 0.23 hooks the event raw', withBpftrace(bookworm, '0.23.2'), {}],
    ['the helper hooks it raw', bookworm, { backend: 'helper' }],
    ['6.12 counts the skips', withBpftrace(trixie, '0.17.0'), {}],
  ];
  for (const [why, facts, request] of cases) {
    const skips = skipsOf(facts, request);
    t.is(skips.uncounted, undefined, why);
    t.false(skippedByKernel('release', 1, skips), why);
  }
});
