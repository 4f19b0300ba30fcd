// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real helper (or bpftrace, which prints the same lines) and reads its NDJSON samples.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

export type Sample = Record<string, number>;

export interface RunningHelper {
  readonly child: ChildProcess;
  /** Resolves with the next complete interval (every map line up to the sample marker). */
  readonly nextSample: () => Promise<Sample>;
  readonly attachedProbes: Promise<number>;
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
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const readLine = async (): Promise<{ type: string; data: unknown }> => {
    const next = await lines.next();
    if (next.done) throw new Error(`the helper ended its output; stderr: ${stderr}`);
    return JSON.parse(next.value) as { type: string; data: unknown };
  };
  const attachedProbes = readLine().then((line) => {
    if (line.type !== 'attached_probes') throw new Error(`first line is ${JSON.stringify(line)}`);
    return (line.data as { probes: number }).probes;
  });
  const nextSample = async (): Promise<Sample> => {
    await attachedProbes;
    const sample: Sample = {};
    for (let line = await readLine(); line.type !== 'printf'; line = await readLine()) {
      for (const [name, value] of Object.entries(line.data as Sample)) sample[name.replace(/^@/, '')] = value;
    }
    return sample;
  };
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { child, nextSample, attachedProbes, stderr: () => stderr, stop };
};

/** The helper's attach-failure lines (its exit code 3 contract): attach point and reason. */
export const reportedFailures = (stderr: string): Array<{ attachPoint: string; reason: string }> =>
  [...stderr.matchAll(/^ebpf-process-helper: attach failed: (\S+) \((.*)\)$/gm)].map((match) => ({ attachPoint: match[1]!, reason: match[2]! }));

/** Runs the helper to its end and returns its exit code and stderr (for attach-failure runs). */
export const runToEnd = async (file: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> => {
  const child = spawn(file, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  // 'close', not 'exit': stderr may still hold data when the process has exited.
  const [code] = await once(child, 'close') as [number | null];
  return { code, stderr };
};

/**
 * Reads samples until the workload's own release shows: the last event, an RCU grace period after the
 * workload was reaped. The count of samples is bounded (30 s at 200 ms: a loaded 2-core host was seen to
 * take over 10 s); the caller then asserts on what it got.
 */
export const settledSample = async (counter: RunningHelper, releases: number, maxSamples = 150): Promise<Sample> => {
  let sample = await counter.nextSample();
  for (let read = 1; read < maxSamples && (sample['release'] ?? 0) < releases; read++) sample = await counter.nextSample();
  return sample;
};
