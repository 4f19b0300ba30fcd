// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real helper (or bpftrace, which prints the same lines) and reads its NDJSON samples.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { bpftraceCommand } from '../../src/backend/bpftrace/bpftrace-command.js';
import { helperCommand } from '../../src/backend/helper/helper-command.js';
import type { KernelFacts } from '../../src/kernel/facts.js';
import { totalOf, type CounterId, type Mode } from '../../src/plan/counters.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { Plan } from '../../src/plan/plan-types.js';
import type { TaskFilter } from '../../src/plan/task-filter.js';
import { failedAttachPoints, type HelperEvent } from '../../src/samples/helper-events.js';
import { parseLine } from '../../src/samples/parse-line.js';
import { skippedRuns } from './kernel-skips.js';

export type Sample = Record<string, number>;

export interface RunningHelper {
  readonly child: ChildProcess;
  /** Resolves with the next complete interval (every map line up to the sample marker), in order. */
  readonly nextSample: () => Promise<Sample>;
  /** Skips the intervals already printed and resolves with the next one to come. */
  readonly freshSample: () => Promise<Sample>;
  readonly stderr: () => string;
  readonly stop: () => Promise<number | null>;
}

/** bpftrace reads its script from stdin; the helper keeps stdin open and ignores what arrives. */
export interface StartOptions {
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export const startHelper = (file: string, args: readonly string[], options: StartOptions = {}): RunningHelper => {
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  // Lines are read as they come, so that freshSample knows which intervals are old.
  const samples: Sample[] = [];
  let current: Sample = {};
  let read = 0;
  let ended = false;
  let wake = (): void => {};
  const lines = readline.createInterface({ input: child.stdout! });
  lines.on('line', (text) => {
    // bpftrace <= 0.23 ends with blank lines and an unmarked dump of its maps: no interval of ours.
    if (!text.trim()) return;
    const line = JSON.parse(text) as { type: string; data: unknown };
    if (line.type === 'map') {
      for (const [name, value] of Object.entries(line.data as Sample)) current[name.replace(/^@/, '')] = value;
    } else if (line.type === 'stats') {
      // bpftrace 0.24+ keeps read and read_bytes in one stats() map (the dialect's countWithTotal).
      for (const [name, value] of Object.entries(line.data as Record<string, { count?: number; total?: number }>)) {
        const count = name.replace(/^@/, '') as CounterId;
        if (value.count !== undefined) current[count] = Number(value.count);
        if (value.total !== undefined && totalOf[count]) current[totalOf[count]] = Number(value.total);
      }
    } else if (line.type === 'printf') {
      samples.push(current);
      current = {};
      wake();
    }
  });
  lines.on('close', () => {
    ended = true;
    wake();
  });
  const nextSample = async (): Promise<Sample> => {
    while (read === samples.length) {
      if (ended) throw new Error(`the helper ended its output; stderr: ${stderr}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return samples[read++]!;
  };
  const freshSample = (): Promise<Sample> => {
    read = samples.length;
    return nextSample();
  };
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { child, nextSample, freshSample, stderr: () => stderr, stop };
};

export interface ReportedFailure {
  readonly attachPoint: string;
  readonly event: 'attach_failed' | 'program_refused';
  readonly errno: number;
}

/** The helper's typed events in its stdout. */
export const reportedEvents = (stdout: string): HelperEvent[] =>
  stdout
    .split('\n')
    .flatMap(parseLine)
    .flatMap((record) => (record.type === 'event' ? [record.event] : []));

/** The helper's attach-failure events (its exit code 3 contract), one per attach point. */
export const reportedFailures = (stdout: string): ReportedFailure[] =>
  reportedEvents(stdout).flatMap((event) =>
    event.event === 'attach_failed' || event.event === 'program_refused'
      ? failedAttachPoints(event).map((attachPoint) => ({ attachPoint, event: event.event, errno: event.errno }))
      : [],
  );

/** Runs the helper to its end and returns its exit code, stdout and stderr (for attach-failure runs). */
export const runToEnd = async (file: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => {
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // 'close', not 'exit': the pipes may still hold data when the process has exited.
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
};

/** The first sample wholly after the caller's action: a fresh one may have been printed in part before it. */
export const sampleAfter = async (counter: RunningHelper): Promise<Sample> => {
  await counter.freshSample();
  return counter.nextSample();
};

/**
 * Reads samples until every exited task's release shows (releases trail exits by an RCU grace period), then
 * one more. With a filter, exits and releases are the workload's own. The count of samples is bounded (a
 * loaded 2-core host was seen to take over 10 s); the caller then asserts on what it got.
 */
export const settledSample = async (counter: RunningHelper, maxSamples = 60): Promise<Sample> => {
  let sample = await counter.freshSample();
  const settled = (): boolean => (sample['release'] ?? 0) + skippedRuns(counter.child.pid) >= (sample['exit'] ?? 0);
  for (let read = 1; read < maxSamples && !settled(); read++) sample = await counter.nextSample();
  return counter.nextSample();
};

export interface SideBySide {
  readonly plans: { readonly bpftrace: Plan; readonly helper: Plan };
  /** bpftrace first, then the helper. */
  readonly tracers: readonly [RunningHelper, RunningHelper];
}

/** bpftrace (the generated script, 1 s) and the helper (200 ms), each planned on this host's tracepoints. */
export const startSideBySide = (
  facts: KernelFacts & { bpftrace: NonNullable<KernelFacts['bpftrace']> },
  mode: Mode,
  filter: TaskFilter,
): SideBySide => {
  const plan = (backend: 'bpftrace' | 'helper') => planProbes(facts, { mode, tracing: 'tracepoint', backend, filter });
  const plans = { bpftrace: plan('bpftrace'), helper: plan('helper') };
  const script = bpftraceCommand(plans.bpftrace, facts.bpftrace, 1, {
    kernelBtf: facts.btf,
    filterFunctionsReadable: facts.filterFunctionsReadable,
  });
  const helper = helperCommand(plans.helper, { intervalMs: 200 });
  return {
    plans,
    tracers: [startHelper(script.file, script.args, { input: script.input!, env: script.env }), startHelper(helper.file, helper.args)],
  };
};
