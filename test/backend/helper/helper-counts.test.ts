// SPDX-License-Identifier: GPL-3.0-or-later
// The real helper on this host: attach refusals name every refused point so the plugin can re-plan, and the
// --comm filter counts a workload found by name alone exactly. (Counting by pid, in both modes, is the
// selftest's: test/cli/selftest.test.ts and test/selftest/expected-vs-backends.test.ts.)
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { helperCommand } from '../../../src/backend/helper/helper-command.js';
import { refusalsFromEvent } from '../../../src/supervise/attach-refusals.js';
import { gatherFacts } from '../../../src/kernel/gather.js';
import { catalogueNames } from '../../../src/plan/catalogue.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import type { Plan } from '../../../src/plan/plan-types.js';
import { buildWorkload } from '../../../src/selftest/build-workload.js';
import { expectCounts } from '../../../src/selftest/expected.js';
import { launchWorkload } from '../../../src/selftest/run-workload.js';
import { reportedEvents, reportedFailures, runToEnd, settledSample, startHelper } from '../../helpers/backend-process.js';
import { buildHelper } from './support/build.js';

const trampolinePoints = (plan: Plan): string[] =>
  plan.probes.flatMap((probe) => (probe.chosen?.family === 'trampoline' ? probe.chosen.attachPoints : [])).sort();

test('exit code 3 follows an event for every refused attach point, and the re-plan without them attaches tracepoints', async (t) => {
  await buildHelper();
  const facts = await gatherFacts(catalogueNames());
  const request = { mode: 'return', tracing: 'auto', backend: 'helper' } as const;
  const first = planProbes(facts, request);
  const { file, args } = helperCommand(first, { intervalMs: 200 });
  const run = await runToEnd(file, args);
  t.is(run.code, 3, 'exit code 3: attach failures reported');
  // Here fentry/fexit are refused (EPERM) and kprobes are absent: every trampoline point must be reported.
  t.deepEqual(
    reportedFailures(run.stdout)
      .map((failure) => failure.attachPoint)
      .sort(),
    trampolinePoints(first),
  );
  const replanned = planProbes(facts, { ...request, refused: reportedEvents(run.stdout).flatMap(refusalsFromEvent) });
  t.true(
    replanned.probes.every((probe) => probe.chosen?.family === 'tracepoint'),
    'the re-plan chose tracepoints',
  );
});

test('--comm counts only the tasks of that name, exactly', async (t) => {
  await buildHelper();
  const built = await buildWorkload();
  // A task's comm is its binary's name: a unique one keeps every other process out.
  const comm = `wl${randomBytes(4).toString('hex')}`;
  const binary = path.join(built.dir, comm);
  await copyFile(built.binary, binary);
  const run = await launchWorkload(binary, { rounds: 2, dir: built.dir });
  const plan = planProbes(await gatherFacts(catalogueNames()), {
    mode: 'return',
    tracing: 'tracepoint',
    backend: 'helper',
    filter: { comm },
  });
  const command = helperCommand(plan, { intervalMs: 200 });
  const helper = startHelper(command.file, command.args);
  try {
    await helper.nextSample();
    await run.start();
    await run.untilDone();
    const sample = await settledSample(helper);
    t.is(await helper.stop(), 0);
    const expectations = expectCounts(await run.finish(), plan);
    t.deepEqual(sample, Object.fromEntries(expectations.counters.map((item) => [item.counter, item.expected])));
  } finally {
    await helper.stop();
    await run.kill();
    await built.remove();
  }
});
