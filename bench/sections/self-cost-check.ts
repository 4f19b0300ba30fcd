// SPDX-License-Identifier: GPL-3.0-or-later
// Self monitoring checked against the bench's own measurement of the same run: the plugin runs with
// `self monitoring = yes` while 1-byte reads run flat out; at every ebpf.self_cpu update the bench reads,
// itself, the run time and run count of the backend's programs (fdinfo of the BPF program fds the backend
// processes hold) and the CPU of node and the backend (/proc/<pid>/stat). Over the same updates: the charted
// ns per event against the kernel's, and the charted CPU percentages against /proc's, in ticks.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds } from '../lib/proc-stats.js';
import { pacedReads } from '../lib/micro-run.js';
import { startPlugin, type Backend } from '../lib/plugin-process.js';
import type { PluginRunOptions } from './plugin-cost.js';
import { fdinfoOfAll, numberField, programsIn } from '../../src/self-cost/bpf-fdinfo.js';

export type SelfCostOptions = PluginRunOptions;

export interface SelfCostRow {
  readonly backend: Backend;
  readonly seconds: number;
  readonly readsPerSecond: number;
  readonly chartedNsPerEvent: number;
  readonly kernelNsPerEvent: number;
  readonly chartedKernelPercent: number;
  readonly kernelPercent: number;
  /** Charted minus /proc CPU over the window, in /proc ticks (10 ms). */
  readonly nodeTicksOff: number;
  readonly backendTicksOff: number;
}

/** What the bench and the charts said at one ebpf.self_cpu update. */
interface Mark {
  readonly at: number;
  /** Totals the plugin sent: per family events, and the self_cpu dimensions in ns. */
  readonly charted: ReadonlyMap<string, number>;
  /** ns per event the plugin sent per family for the interval ending here. */
  readonly perEvent: ReadonlyMap<string, number>;
  readonly runTimeNs: number;
  readonly runCount: number;
  readonly nodeCpuS: number;
  readonly backendCpuS: number;
}

const families = ['file', 'vfs', 'process'];
const tickSeconds = 0.01;

// Each program once, however many fds (program, link, the --stats-of reader's) name it.
const programStats = async (pids: readonly number[]): Promise<{ runTimeNs: number; runCount: number }> =>
  [...programsIn(fdinfoOfAll(pids)).values()].reduce(
    (sum, info) => ({
      runTimeNs: sum.runTimeNs + numberField(info, 'run_time_ns'),
      runCount: sum.runCount + numberField(info, 'run_cnt'),
    }),
    { runTimeNs: 0, runCount: 0 },
  );

const measureOne = async (backend: Backend, options: SelfCostOptions): Promise<SelfCostRow> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-bench-'));
  const config = path.join(dir, 'ebpf_process.conf');
  await writeFile(config, '[global]\nself monitoring = yes\n');
  const marks: Array<Promise<Mark>> = [];
  let chart = '';
  const charted = new Map<string, number>();
  const perEvent = new Map<string, number>();
  let backendPids: () => Promise<number[]> = async () => [];
  let pluginPid = 0;
  const onLine = (line: string): void => {
    const words = line.split(' ');
    if (words[0] === 'BEGIN') chart = words[1] ?? '';
    if (words[0] === 'SET' && chart === 'ebpf.self_events') charted.set(`${words[1]}_events`, Number(words[3]));
    if (words[0] === 'SET' && chart === 'ebpf.self_cost_per_event') perEvent.set(words[1]!, Number(words[3]));
    if (words[0] === 'SET' && chart === 'ebpf.self_cpu') charted.set(`${words[1]}_ns`, Number(words[3]));
    if (line !== 'END' || chart !== 'ebpf.self_cpu' || pluginPid === 0) return;
    const at = performance.now();
    const snapshot = { charted: new Map(charted), perEvent: new Map(perEvent) };
    perEvent.clear();
    marks.push(
      (async () => {
        const pids = await backendPids();
        const [programs, nodeCpuS, backendCpu] = await Promise.all([
          programStats(pids),
          cpuSeconds(pluginPid),
          Promise.all(pids.map((pid) => cpuSeconds(pid).catch(() => 0))),
        ]);
        return { at, ...snapshot, ...programs, nodeCpuS, backendCpuS: backendCpu.reduce((sum, each) => sum + each, 0) };
      })(),
    );
  };
  const plugin = await startPlugin(backend, 'entry', ['--config', config], onLine);
  pluginPid = plugin.pid;
  backendPids = plugin.backendPids;
  try {
    await sleep(options.warmupSeconds * 1000);
    const loadStart = performance.now();
    const reads = await pacedReads('max', options.seconds);
    const loadEnd = performance.now();
    await sleep(1500);
    // Whole updates inside the load, past its first second (the first update may straddle its start).
    const inside = (await Promise.all(marks)).filter((mark) => mark.at > loadStart + 1000 && mark.at < loadEnd);
    const [first, last] = [inside[0], inside.at(-1)];
    if (!first || !last || first === last) throw new Error(`${backend}: fewer than two self monitoring updates during the load`);
    const window = inside.slice(1);
    const grown = (key: string, from: Mark, to: Mark) => (to.charted.get(key) ?? 0) - (from.charted.get(key) ?? 0);
    // The charts give ns per event per update and family: weighted by that update's events, over the window.
    let chartedNs = 0;
    let chartedEvents = 0;
    window.forEach((mark, index) => {
      for (const family of families) {
        const events = grown(`${family}_events`, inside[index]!, mark);
        chartedNs += (mark.perEvent.get(family) ?? 0) * events;
        chartedEvents += events;
      }
    });
    const seconds = (last.at - first.at) / 1000;
    const ticksOff = (chartedNs: number, procSeconds: number) => (chartedNs / 1e9 - procSeconds) / tickSeconds;
    return {
      backend,
      seconds,
      readsPerSecond: reads / options.seconds,
      chartedNsPerEvent: chartedNs / chartedEvents,
      kernelNsPerEvent: (last.runTimeNs - first.runTimeNs) / (last.runCount - first.runCount),
      chartedKernelPercent: (grown('kernel_ns', first, last) / 1e9 / seconds) * 100,
      kernelPercent: ((last.runTimeNs - first.runTimeNs) / 1e9 / seconds) * 100,
      nodeTicksOff: ticksOff(grown('node_ns', first, last), last.nodeCpuS - first.nodeCpuS),
      backendTicksOff: ticksOff(grown('backend_ns', first, last), last.backendCpuS - first.backendCpuS),
    };
  } finally {
    await plugin.stop();
    await rm(dir, { recursive: true, force: true });
  }
};

export const checkSelfCost = async (options: SelfCostOptions): Promise<SelfCostRow[]> => {
  const rows: SelfCostRow[] = [];
  for (const backend of options.backends) {
    options.log(`self monitoring check: ${backend}, reads flat out for ${options.seconds} s`);
    rows.push(await measureOne(backend, options));
  }
  return rows;
};
