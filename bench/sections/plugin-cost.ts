// SPDX-License-Identifier: GPL-3.0-or-later
// Plugin cost: CPU seconds per second of the plugin (node) and of its backend child, and their peak RSS,
// while 1-byte reads run at fixed rates. Rates and backends are interleaved; the BPF programs' own cost is
// charged to the reading process, so this is what the collector adds on top of the per-event cost.
import { cpuSeconds, peakRssMiB, rssMiB } from '../lib/proc-stats.js';
import { pacedReads } from '../lib/micro-run.js';
import { startPlugin, type Backend } from '../lib/plugin-process.js';
import { setTimeout as sleep } from 'node:timers/promises';

export type Rate = number | 'max';

/** A section that runs the plugin under load: for how long, after how long a warm-up. */
export interface PluginRunOptions {
  readonly backends: readonly Backend[];
  readonly seconds: number;
  /** Seconds the plugin runs before the measurement starts. */
  readonly warmupSeconds: number;
  readonly log: (line: string) => void;
}

export interface LoadOptions extends PluginRunOptions {
  readonly rates: readonly Rate[];
}

export interface LoadRow {
  readonly backend: Backend;
  readonly requestedRate: Rate;
  /** Reads per second the workload made (0 when idle). */
  readonly eventsPerSecond: number;
  /** CPU of node and its backend from spawn to the end of the warm-up: start-up, compiling, first heap shrinks. */
  readonly warmupCpuMs: number;
  readonly nodeCorePercent: number;
  readonly backendCorePercent: number;
  readonly totalCorePercent: number;
  readonly nodeRssMiB: number;
  readonly nodePeakRssMiB: number;
  readonly backendRssMiB: number;
  readonly backendPeakRssMiB: number;
}

const cpuOf = async (pids: readonly number[]): Promise<number[]> => Promise.all(pids.map(cpuSeconds));

const measureOne = async (backend: Backend, rate: Rate, seconds: number, warmupSeconds: number): Promise<LoadRow> => {
  const plugin = await startPlugin(backend, 'entry');
  try {
    const backendPids = await plugin.backendPids();
    if (backendPids.length === 0) throw new Error(`the plugin (${backend}) has no backend process`);
    // A collector runs for days: its cost is the steady state. For its first ~15 s node costs several times
    // that (V8 compiles hot code and shrinks its heap), a one-time cost reported in a column of its own.
    await sleep(warmupSeconds * 1000);
    const startedAt = performance.now();
    const [nodeBefore = 0, ...backendBefore] = await cpuOf([plugin.pid, ...backendPids]);
    const reads = rate === 0 ? await sleep(seconds * 1000, 0) : await pacedReads(rate, seconds);
    const [nodeAfter = 0, ...backendAfter] = await cpuOf([plugin.pid, ...backendPids]);
    const wall = (performance.now() - startedAt) / 1000;
    const backendCpu = backendAfter.reduce((sum, after, index) => sum + after - (backendBefore[index] ?? 0), 0);
    const sum = (values: number[]) => values.reduce((total, each) => total + each, 0);
    const nodePercent = ((nodeAfter - nodeBefore) / wall) * 100;
    const backendPercent = (backendCpu / wall) * 100;
    return {
      backend,
      requestedRate: rate,
      eventsPerSecond: reads / seconds,
      warmupCpuMs: (nodeBefore + backendBefore.reduce((total, each) => total + each, 0)) * 1000,
      nodeCorePercent: nodePercent,
      backendCorePercent: backendPercent,
      totalCorePercent: nodePercent + backendPercent,
      nodeRssMiB: await rssMiB(plugin.pid),
      nodePeakRssMiB: await peakRssMiB(plugin.pid),
      backendRssMiB: sum(await Promise.all(backendPids.map(rssMiB))),
      backendPeakRssMiB: sum(await Promise.all(backendPids.map(peakRssMiB))),
    };
  } finally {
    await plugin.stop();
  }
};

export const measurePluginCost = async (options: LoadOptions): Promise<LoadRow[]> => {
  const rows: LoadRow[] = [];
  for (const rate of options.rates) {
    for (const backend of options.backends) {
      options.log(`plugin cost: ${backend} at ${rate} reads/s for ${options.seconds} s`);
      rows.push(await measureOne(backend, rate, options.seconds, options.warmupSeconds));
    }
  }
  return rows;
};
