// SPDX-License-Identifier: GPL-3.0-or-later
// The expected counts against the real thing on this host: bpftrace running the generated script and the
// helper, both planned for this host, both filtered to one run of the selftest workload, side by side, in both
// modes. Here every probe attaches at tracepoints (no kprobes, fentry refused); expected.unit.test.ts covers the
// rules for kernel functions.
import test from 'ava';
import { gatherFacts } from '../../src/kernel/gather.js';
import { catalogueNames } from '../../src/plan/catalogue.js';
import type { Mode } from '../../src/plan/counters.js';
import { collectedCounters } from '../../src/plan/plan-probes.js';
import { buildWorkload } from '../../src/selftest/build-workload.js';
import { expectCounts } from '../../src/selftest/expected.js';
import { launchWorkload } from '../../src/selftest/run-workload.js';
import { settledSample, startSideBySide, type Sample } from '../helpers/backend-process.js';
import { assertRelease, skippedRuns } from '../helpers/kernel-skips.js';

const compareOnHost = test.macro(async (t, mode: Mode) => {
  const facts = await gatherFacts(catalogueNames());
  if (!facts.bpftrace) return t.fail('bpftrace is not installed: apt-get install bpftrace');
  const built = await buildWorkload();
  const run = await launchWorkload(built.binary, { rounds: 2, dir: built.dir });
  const { plans, tracers } = startSideBySide({ ...facts, bpftrace: facts.bpftrace }, mode, { pid: run.pid });
  const bpftracePlan = plans.bpftrace;
  t.deepEqual(
    plans.helper.probes.map((probe) => probe.chosen?.attachPoints),
    bpftracePlan.probes.map((probe) => probe.chosen?.attachPoints),
    'both attach at the same points',
  );
  try {
    // Tracepoints attach before the interval fires: a first sample means every probe is attached.
    await Promise.all(tracers.map((tracer) => tracer.nextSample()));
    await run.start();
    await run.untilDone();
    const [fromBpftrace, fromHelper] = (await Promise.all(tracers.map((tracer) => settledSample(tracer)))) as [Sample, Sample];
    // The skips are read from the backends' fds, so while they run: after they stopped every count read 0.
    const [bpftraceSkips, helperSkips] = tracers.map((tracer) => skippedRuns(tracer.child.pid)) as [number, number];
    // Stop counting before the end barrier is released: the rest of the workload's life is outside the window.
    await Promise.all(tracers.map((tracer) => tracer.stop()));
    const expectations = expectCounts(await run.finish(), bpftracePlan);
    t.deepEqual(expectations.uncollected, []);
    for (const item of expectations.counters) {
      t.is(item.expected, item.bySyscalls, `${item.counter}: tracepoints see what the syscalls did`);
      if (item.counter === 'release') {
        assertRelease(t, fromBpftrace.release ?? 0, item.expected, bpftraceSkips, 'bpftrace');
        assertRelease(t, fromHelper.release ?? 0, item.expected, helperSkips, 'helper');
        continue;
      }
      t.is(fromBpftrace[item.counter] ?? 0, item.expected, `bpftrace: ${item.counter} from ${item.attachPoints.join(', ')}`);
    }
    const withoutRelease = ({ release: _release, ...rest }: Sample): Sample => rest;
    t.deepEqual(withoutRelease(fromHelper), withoutRelease(fromBpftrace), 'the helper counts what bpftrace counts');
    t.deepEqual(
      expectations.counters.map((item) => item.counter).sort(),
      [...collectedCounters(bpftracePlan)].sort(),
      'an expectation for every counter the backends print',
    );
  } finally {
    await Promise.all(tracers.map((tracer) => tracer.stop()));
    await run.kill();
    await built.remove();
  }
});

test('entry mode: bpftrace and the helper count what the expectations say', compareOnHost, 'entry');
test('return mode: bpftrace and the helper count what the expectations say', compareOnHost, 'return');
