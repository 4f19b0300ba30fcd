// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real plugin as Netdata does (`node <launcher flag> dist/cli.js 1 ...`, stdout drained) and notes when its first
// CHART line and its first data block (BEGIN) arrive, counted from just before the spawn.
import { execa } from 'execa';
import { descendants, endTree, track } from './children.js';
import { keepTail, onLines } from './lines.js';
import { pluginCli, pluginNodeFlags } from './native.js';

export type Backend = 'bpftrace' | 'helper';
export type Mode = 'entry' | 'return';

export interface PluginRun {
  readonly pid: number;
  /** Milliseconds from spawn to the first CHART line and to the first BEGIN. */
  readonly firstChartMs: number;
  readonly firstDataMs: number;
  /** The backend process(es) the plugin started. */
  backendPids(): Promise<number[]>;
  /** Milliseconds from SIGTERM until the plugin and its backend are gone. */
  stop(): Promise<number>;
}

const startTimeoutMs = 30_000;

/** extraArgs: more plugin flags, e.g. --probe-type tracepoint; onLine: sees every protocol line the plugin prints. */
export const startPlugin = async (
  backend: Backend,
  mode: Mode,
  extraArgs: readonly string[] = [],
  onLine?: (line: string) => void,
): Promise<PluginRun> => {
  const spawnedAt = performance.now();
  const child = execa('node', [...pluginNodeFlags, pluginCli, '1', '--backend', backend, '--mode', mode, ...extraArgs], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  if (child.pid === undefined) throw new Error(`cannot start the plugin (${backend}, ${mode})`);
  const pid = child.pid;
  track(pid);
  const stderr = keepTail(child.stderr);
  let firstChartMs = Number.NaN;
  const firstData = new Promise<number>((resolve, reject) => {
    onLines(child.stdout, (line) => {
      if (Number.isNaN(firstChartMs) && line.startsWith('CHART ')) firstChartMs = performance.now() - spawnedAt;
      if (line === 'BEGIN' || line.startsWith('BEGIN ')) resolve(performance.now() - spawnedAt);
      onLine?.(line);
    });
    void child.then((result) =>
      reject(new Error(`plugin (${backend}, ${mode}) exited (${result.exitCode ?? result.signal}) before its first data: ${stderr()}`)),
    );
    setTimeout(
      () => reject(new Error(`plugin (${backend}, ${mode}) sent no data in ${startTimeoutMs} ms: ${stderr()}`)),
      startTimeoutMs,
    ).unref();
  });
  const stop = async () => {
    const stopAt = performance.now();
    await endTree(pid, 10_000);
    return performance.now() - stopAt;
  };
  const firstDataMs = await firstData.catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { pid, firstChartMs, firstDataMs, backendPids: () => descendants(pid), stop };
};
