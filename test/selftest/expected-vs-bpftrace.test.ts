// SPDX-License-Identifier: GPL-3.0-or-later
// The expected counts against the real thing on this host: the plan's tracepoints (the family bpftrace can
// attach here), the generated bpftrace script filtered to the workload's pid, and the real workload, in both
// modes. Kernel functions (fentry, kprobes) cannot attach on this host; expected.test.ts covers their rules.
import { createInterface } from 'node:readline';
import test from 'ava';
import { execa } from 'execa';
import { dialectFor } from '../../src/backend/bpftrace/dialect.js';
import { generateScript, sampleMarker } from '../../src/backend/bpftrace/generate-script.js';
import { gatherFacts } from '../../src/kernel/gather.js';
import type { CounterId, Mode } from '../../src/plan/counters.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import { buildWorkload } from '../../src/selftest/build-workload.js';
import { expectCounts } from '../../src/selftest/expected.js';
import { launchWorkload } from '../../src/selftest/run-workload.js';

type Sample = Map<string, number>;

/** bpftrace printing the script's samples; `next` resolves with the next complete sample. */
const startBpftrace = (path: string, text: string, env: Readonly<Record<string, string>>) => {
  const tracer = execa(path, ['-f', 'json', '-e', text], { reject: false, env });
  const samples: Sample[] = [];
  let current: Sample = new Map();
  let wake: (() => void) | undefined;
  createInterface({ input: tracer.stdout! }).on('line', (line) => {
    if (!line.trim()) return;
    const message = JSON.parse(line) as { type: string; data: unknown };
    if (message.type === 'map') {
      for (const [name, value] of Object.entries(message.data as Record<string, unknown>)) current.set(name.slice(1), Number(value));
    }
    if (message.type === 'printf' && message.data === sampleMarker) {
      samples.push(current);
      current = new Map();
      wake?.();
    }
  });
  const next = async (): Promise<Sample> => {
    const seen = samples.length;
    while (samples.length === seen) {
      const ended = await Promise.race([new Promise<false>((resolve) => { wake = () => resolve(false); }), tracer.then(() => true)]);
      if (ended) throw new Error(`bpftrace ended: ${String((await tracer).stderr)}`);
    }
    return samples.at(-1)!;
  };
  return { next, stop: async () => { tracer.kill('SIGINT'); await tracer; } };
};

const compareOnHost = test.macro(async (t, mode: Mode) => {
  const facts = await gatherFacts();
  if (!facts.bpftrace) return t.fail('bpftrace is not installed: apt-get install bpftrace');
  const built = await buildWorkload();
  const run = await launchWorkload(built.binary, { rounds: 2, dir: built.dir });
  const plan = planProbes(facts, { mode, tracing: 'tracepoint', backend: 'bpftrace', filter: { pid: run.pid } });
  const script = generateScript(plan, { dialect: dialectFor(facts.bpftrace.version), output: 'json', intervalSeconds: 1, generator: 'test' });
  const tracer = startBpftrace(facts.bpftrace.path, script.text, script.env);
  try {
    // Tracepoints and the interval attach in declaration order, the interval last: a sample means all attached.
    await tracer.next();
    await run.start();
    await run.untilDone();
    // Every task exited before the done line; its release shows after an RCU grace period.
    let sample = await tracer.next();
    while ((sample.get('release') ?? 0) < (sample.get('exit') ?? 0)) sample = await tracer.next();
    sample = await tracer.next();
    // Stop counting before the end barrier is released: the rest of the workload's life is outside the window.
    await tracer.stop();
    const expectations = expectCounts(await run.finish(), plan);
    t.deepEqual(expectations.uncollected, []);
    for (const item of expectations.counters) {
      t.is(item.expected, item.bySyscalls, `${item.counter}: tracepoints see what the syscalls did`);
      t.is(sample.get(item.counter) ?? 0, item.expected, `${item.counter} from ${item.attachPoints.join(', ')}`);
    }
    const counted = new Set<CounterId>(expectations.counters.map((item) => item.counter));
    t.deepEqual([...counted].sort(), [...script.counters].sort(), 'an expectation for every counter the script prints');
  } finally {
    await tracer.stop();
    await run.kill();
    await built.remove();
  }
});

test('entry mode: the generated tracepoint script counts what the expectations say', compareOnHost, 'entry');
test('return mode: the generated tracepoint script counts what the expectations say', compareOnHost, 'return');
