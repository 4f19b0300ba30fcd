// SPDX-License-Identifier: GPL-3.0-or-later
// Self monitoring's counters: per probe family the runs, skipped runs and kernel run time of the plan's programs, every
// program's run time, and the CPU time of node and of the backend's processes. Run-scoped counters restart
// with each backend run and are kept monotonic the way the event totals are (Totals).
import { dimensionCounters, selfCostCharts, type SelfCounterId } from '../charts/catalogue.js';
import { snapshotTotals } from '../charts/chart-values.js';
import { probeFamilies, type ProbeFamily } from '../plan/catalogue-types.js';
import type { Plan } from '../plan/plan-types.js';
import type { ProgramStats } from '../samples/parse-line.js';
import { Totals } from '../samples/totals.js';
import { familyAttribution } from './attribution.js';
import { processCpuNs } from './process-cpu.js';

const selfCounterIds: readonly SelfCounterId[] = [
  ...new Set(selfCostCharts.flatMap((chart) => chart.dimensions.flatMap(dimensionCounters))),
];

/** What the programs cost between two updates: what the CPU budget decides on. */
export interface CostInterval {
  /** Kernel run time of all the collector's programs, in percent of one core. */
  readonly kernelPercent: number;
  /** Kernel run time per family, in nanoseconds. */
  readonly familyNs: ReadonlyMap<ProbeFamily, number>;
}

export interface SelfSnapshot {
  readonly values: ReadonlyMap<SelfCounterId, bigint>;
  /** Undefined at the first update and before the first program statistics. */
  readonly interval: CostInterval | undefined;
}

export class SelfCost {
  private readonly run = new Totals<SelfCounterId>();
  private pids: number[] = [];
  private familyOf: ReturnType<typeof familyAttribution> = () => undefined;
  private previous: { values: ReadonlyMap<SelfCounterId, bigint>; at: bigint } | undefined;

  /** A backend run starts: its programs and processes count from zero. */
  startRun(plan: Plan): void {
    this.run.startRun();
    this.pids = [];
    this.familyOf = familyAttribution(plan);
  }

  /** A process of the backend (bpftrace or the helper, and the statistics reader beside bpftrace). */
  addProcess(pid: number | undefined): void {
    if (pid !== undefined) this.pids.push(pid);
  }

  programs(stats: readonly ProgramStats[]): void {
    const sample = new Map<SelfCounterId, bigint>([['kernel_ns', 0n]]);
    for (const family of probeFamilies) sample.set(`${family}_events`, 0n).set(`${family}_skipped`, 0n).set(`${family}_ns`, 0n);
    const add = (counter: SelfCounterId, amount: bigint): void => {
      sample.set(counter, sample.get(counter)! + amount);
    };
    for (const program of stats) {
      add('kernel_ns', program.runTimeNs);
      const family = this.familyOf(program.attach);
      if (!family) continue;
      add(`${family}_events`, program.runCount);
      add(`${family}_skipped`, program.skippedRuns);
      add(`${family}_ns`, program.runTimeNs);
    }
    this.run.update(sample);
  }

  snapshot(now: bigint = process.hrtime.bigint()): SelfSnapshot {
    // A process that is gone counts 0; Totals keeps the run's highest total, so its CPU is not lost.
    this.run.update(new Map([['backend_ns', this.pids.reduce((total, pid) => total + (processCpuNs(pid) ?? 0n), 0n)]]));
    const values = new Map(snapshotTotals(this.run, selfCounterIds));
    const node = processCpuNs('self');
    if (node !== undefined) values.set('node_ns', node);
    const before = this.previous;
    this.previous = { values, at: now };
    return {
      values,
      interval:
        before && values.has('kernel_ns') && before.values.has('kernel_ns')
          ? interval(before.values, values, Number(now - before.at))
          : undefined,
    };
  }
}

const grown = (before: ReadonlyMap<SelfCounterId, bigint>, now: ReadonlyMap<SelfCounterId, bigint>, counter: SelfCounterId): number =>
  Number((now.get(counter) ?? 0n) - (before.get(counter) ?? 0n));

const interval = (
  before: ReadonlyMap<SelfCounterId, bigint>,
  now: ReadonlyMap<SelfCounterId, bigint>,
  elapsedNs: number,
): CostInterval => ({
  kernelPercent: elapsedNs > 0 ? (grown(before, now, 'kernel_ns') / elapsedNs) * 100 : 0,
  familyNs: new Map(probeFamilies.map((family) => [family, grown(before, now, `${family}_ns`)])),
});
