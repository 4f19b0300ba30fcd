// SPDX-License-Identifier: GPL-3.0-or-later
// The real helper, planned for this host, counts a known workload exactly in both modes.
import test, { type ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import { helperCommand } from '../../../src/backend/helper/helper-command.js';
import { refusalsFromStderr } from '../../../src/backend/supervise/attach-refusals.js';
import { gatherFacts } from '../../../src/kernel/gather.js';
import type { Mode } from '../../../src/plan/counters.js';
import { collectedCounters, planProbes } from '../../../src/plan/plan-probes.js';
import type { Plan } from '../../../src/plan/plan-types.js';
import { buildHelper, buildWorkload } from './support/build.js';
import { reportedFailures, runToEnd, settledSample, startHelper } from './support/run-helper.js';
import { expectedCounts, runWorkload, startWorkload, type WorkloadSize } from './support/workload.js';

const size: WorkloadSize = { files: 5, failures: 3, forks: 4, threads: 2 };

const trampolinePoints = (plan: Plan): string[] => plan.probes
  .flatMap((probe) => probe.chosen?.family === 'trampoline' ? probe.chosen.attachPoints : [])
  .sort();

// What the plugin does: run the plan, and on exit code 3 re-plan without the reported attach points.
const planThatAttaches = async (t: ExecutionContext, mode: Mode) => {
  const facts = await gatherFacts();
  const request = { mode, tracing: 'auto', backend: 'helper' } as const;
  const first = planProbes(facts, request);
  const { file, args } = helperCommand(first, { intervalMs: 200 });
  const run = await runToEnd(file, args);
  t.is(run.code, 3, 'exit code 3: attach failures reported');
  // Here fentry/fexit are refused (EPERM) and kprobes are absent: every trampoline point must be reported.
  t.deepEqual(reportedFailures(run.stderr).map((failure) => failure.attachPoint).sort(), trampolinePoints(first));
  return planProbes(facts, { ...request, refused: refusalsFromStderr(run.stderr.split('\n')) });
};

const countsMatch = test.macro(async (t, mode: Mode) => {
  await buildHelper();
  const { bin, dir } = await buildWorkload();
  const plan = await planThatAttaches(t, mode);
  t.true(plan.probes.every((probe) => probe.chosen?.family === 'tracepoint'), 'the re-plan chose tracepoints');

  const workload = await startWorkload(bin, dir, size);
  const { file, args } = helperCommand(plan, { intervalMs: 200, pid: workload.pid! });
  const helper = startHelper(file, args);
  t.true(await helper.attachedProbes > 0);
  await helper.nextSample();
  t.is(await runWorkload(workload), 0, 'the workload made every call as planned');

  const expected = expectedCounts(mode, size);
  const sample = await settledSample(helper, expected.release!);
  t.is(await helper.stop(), 0);
  t.deepEqual(Object.keys(sample).sort(), [...collectedCounters(plan)].sort(), 'one line per collected counter');
  t.deepEqual(sample, expected);
});

test('counts the workload exactly in entry mode through tracepoints', countsMatch, 'entry');
test('counts the workload exactly in return mode through tracepoints', countsMatch, 'return');

test('counts only the tasks named by --comm', async (t) => {
  await buildHelper();
  const comm = `wl${randomBytes(4).toString('hex')}`;
  const { bin, dir } = await buildWorkload(comm);
  const plan = planProbes(await gatherFacts(), { mode: 'entry', tracing: 'tracepoint', backend: 'helper' });
  const workload = await startWorkload(bin, dir, size);
  const { file, args } = helperCommand(plan, { intervalMs: 200, comm });
  const helper = startHelper(file, args);
  await helper.nextSample();
  t.is(await runWorkload(workload), 0);
  const expected = expectedCounts('entry', size);
  const sample = await settledSample(helper, expected.release!);
  t.is(await helper.stop(), 0);
  t.deepEqual(sample, expected);
});
