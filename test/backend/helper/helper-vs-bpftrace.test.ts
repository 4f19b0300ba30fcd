// SPDX-License-Identifier: GPL-3.0-or-later
// The helper and bpftrace, planned for this host and filtered on the same workload, count it the same.
import test from 'ava';
import { bpftraceCommand } from '../../../src/backend/bpftrace/bpftrace-command.js';
import { helperCommand } from '../../../src/backend/helper/helper-command.js';
import { gatherFacts } from '../../../src/kernel/gather.js';
import type { Mode } from '../../../src/plan/counters.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import { buildHelper, buildWorkload } from './support/build.js';
import { settledSample, startHelper } from './support/run-helper.js';
import { expectedCounts, runWorkload, startWorkload, type WorkloadSize } from './support/workload.js';

const size: WorkloadSize = { files: 4, failures: 2, forks: 3, threads: 2 };

const sameCounts = test.macro(async (t, mode: Mode) => {
  await buildHelper();
  const facts = await gatherFacts();
  if (!facts.bpftrace) {
    t.fail('bpftrace is not installed: apt-get install bpftrace');
    return;
  }
  const { bin, dir } = await buildWorkload();
  const workload = await startWorkload(bin, dir, size);
  const filter = { pid: workload.pid! };
  const bpftracePlan = planProbes(facts, { mode, tracing: 'auto', backend: 'bpftrace', filter });
  const helperPlan = planProbes(facts, { mode, tracing: 'tracepoint', backend: 'helper', filter });
  t.deepEqual(helperPlan.probes.map((probe) => probe.chosen?.attachPoints), bpftracePlan.probes.map((probe) => probe.chosen?.attachPoints),
    'both attach at the same points');

  const script = bpftraceCommand(bpftracePlan, facts.bpftrace, 1);
  const bpftrace = startHelper(script.file, script.args, { input: script.input!, env: script.env });
  const command = helperCommand(helperPlan, { intervalMs: 200, ...helperPlan.filter });
  const helper = startHelper(command.file, command.args);
  await Promise.all([bpftrace.nextSample(), helper.nextSample()]);
  t.is(await runWorkload(workload), 0);

  const releases = expectedCounts(mode, size).release!;
  const [fromBpftrace, fromHelper] = await Promise.all([settledSample(bpftrace, releases), settledSample(helper, releases)]);
  await Promise.all([bpftrace.stop(), helper.stop()]);
  t.deepEqual(fromHelper, fromBpftrace);
  t.deepEqual(fromHelper, expectedCounts(mode, size));
});

test('the helper and bpftrace count the same workload alike in entry mode', sameCounts, 'entry');
test('the helper and bpftrace count the same workload alike in return mode', sameCounts, 'return');
