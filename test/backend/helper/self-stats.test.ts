// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's self monitoring lines: with --self-stats every program it holds is reported with exactly the
// plan's attach points (the attribution to families rests on that); --stats-of refuses what is not a pid.
import test from 'ava';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { bpftraceCommand } from '../../../src/backend/bpftrace/bpftrace-command.js';
import { helperCommand } from '../../../src/backend/helper/helper-command.js';
import { helperPath } from '../../../src/backend/helper/locate-helper.js';
import { gatherFacts } from '../../../src/kernel/gather.js';
import { catalogueNames } from '../../../src/plan/catalogue.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import { parseLine, type ProgramStats } from '../../../src/samples/parse-line.js';
import { attachKey } from '../../../src/self-cost/attribution.js';
import { startHelper } from '../../helpers/backend-process.js';
import { buildHelper } from './support/build.js';
import { heldProgramIds } from '../../reliability/support/plugin-process.js';

test("--self-stats reports every program the helper holds, with the plan's attach points, before each sample", async (t) => {
  await buildHelper();
  const plan = planProbes(await gatherFacts(catalogueNames()), { mode: 'return', tracing: 'tracepoint', backend: 'helper' });
  const { file, args } = helperCommand(plan, { intervalMs: 100, selfStats: true });
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
  });
  try {
    // Three whole samples: the third prog_stats line can come in a chunk before the rest of its sample.
    while (lines.flatMap(parseLine).filter((record) => record.type === 'printf').length < 3) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const held = heldProgramIds(child.pid!);
    const records = lines.flatMap(parseLine);
    const stats = records.filter(
      (record): record is { type: 'prog_stats'; programs: readonly ProgramStats[] } => record.type === 'prog_stats',
    );
    t.deepEqual(
      stats
        .at(-1)!
        .programs.map((program) => program.id)
        .sort((a, b) => a - b),
      held,
      'exactly the programs it holds',
    );
    const reported = stats
      .at(-1)!
      .programs.flatMap((program) => program.attach.map(attachKey))
      .sort();
    const planned = plan.probes
      .flatMap((probe) => probe.chosen?.attachPoints ?? [])
      .map(attachKey)
      .sort();
    t.deepEqual(reported, planned, 'every attach point of the plan, each on its program');
    // Each prog_stats line comes right before a sample's maps: prog_stats, map..., sample marker.
    const kinds = records.map((record) => record.type).filter((type) => type === 'prog_stats' || type === 'printf');
    t.deepEqual(kinds.slice(0, 6), ['prog_stats', 'printf', 'prog_stats', 'printf', 'prog_stats', 'printf']);
  } finally {
    child.kill('SIGTERM');
  }
});

for (const pid of ['0', '12x', '-5', '4194305']) {
  test(`--stats-of ${pid} is a usage error`, async (t) => {
    await buildHelper();
    const result = await execa(helperPath(), ['--stats-of', pid], { reject: false, input: '\n' });
    t.is(result.exitCode, 2);
    t.regex(result.stderr, /--stats-of must be a process id/);
  });
}

// The installed helper's capabilities (docs/privileges.md) do not include CAP_SYS_ADMIN, which
// BPF_ENABLE_STATS needs: it must say so and go on counting, with its programs still listed.
test('without CAP_SYS_ADMIN --self-stats says why the statistics are off and goes on', async (t) => {
  await buildHelper();
  const caps = '+bpf,+perfmon,+dac_read_search';
  const result = await execa(
    'setpriv',
    [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      `--inh-caps=${caps}`,
      `--ambient-caps=${caps}`,
      helperPath(),
      '--self-stats',
      '--interval-ms',
      '100',
      '--counters',
      'read',
      'read_tp=syscalls:sys_enter_read',
    ],
    { reject: false, input: '', timeout: 10_000 },
  );
  const records = result.stdout.split('\n').flatMap(parseLine);
  t.like(records[0], { type: 'error' });
  t.regex(
    records[0]?.type === 'error' ? records[0].message : '',
    /warnf, self monitoring: the kernel refused to turn on BPF run-time statistics \(Operation not permitted\); it needs CAP_SYS_ADMIN/,
  );
  const stats = records.find((record) => record.type === 'prog_stats');
  t.deepEqual(stats?.type === 'prog_stats' ? stats.programs.map((program) => program.attach) : [], [
    ['tracepoint:syscalls:sys_enter_read'],
  ]);
  t.is(result.exitCode, 0, 'stdin at its end stops it normally');
});

test("--stats-of finds exactly bpftrace's programs for the plan's attach points, named by the kernel", async (t) => {
  await buildHelper();
  const facts = await gatherFacts(catalogueNames());
  if (!facts.bpftrace) return t.fail('bpftrace is not installed');
  const plan = planProbes(facts, { mode: 'return', tracing: 'tracepoint', backend: 'bpftrace' });
  const script = bpftraceCommand(plan, facts.bpftrace, 1, { kernelBtf: facts.btf, filterFunctionsReadable: facts.filterFunctionsReadable });
  const bpftrace = startHelper(script.file, script.args, { input: script.input!, env: script.env });
  try {
    await bpftrace.nextSample(); // attached
    const answer = await execa(helperPath(), ['--stats-of', String(bpftrace.child.pid)], { input: '\n', timeout: 10_000 });
    const stats = answer.stdout
      .split('\n')
      .flatMap(parseLine)
      .find((record) => record.type === 'prog_stats');
    const programs = stats?.type === 'prog_stats' ? stats.programs : [];
    const reported = programs.flatMap((program) => program.attach.map(attachKey)).sort();
    const planned = plan.probes
      .flatMap((probe) => probe.chosen?.attachPoints ?? [])
      .map(attachKey)
      .sort();
    t.deepEqual(reported, planned, 'every attach point of the plan, none of another tool');
    t.true(
      programs.every((program) => program.attach.every((point) => /^tracepoint:[a-z0-9_]+$/.test(point))),
      'as the kernel names them',
    );
  } finally {
    await bpftrace.stop();
  }
});
