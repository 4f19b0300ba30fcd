// SPDX-License-Identifier: GPL-3.0-or-later
// From per-comm totals to the per-application charts of one update. A group gets its dimension on every
// chart in the update its first task is counted: the charts are defined again with it (as ebpf.plugin does).
import { appChartsForMode, groupChart, type GroupChart } from '../charts/app-charts.js';
import type { CounterId, Mode } from '../plan/counters.js';
import { foldCommTotals, type CommTotals } from './fold-comms.js';
import { otherGroup, type AppGroup, type GroupOfComm } from './group-rules.js';

export interface AppChartsUpdate {
  /** Charts to send CHART/DIMENSION lines for before the values: all of them when the groups changed, else none. */
  readonly define: readonly GroupChart[];
  readonly charts: readonly GroupChart[];
  /** groupCounterKey(group, counter) → total: what the dimensions read (chartValues). */
  readonly snapshot: ReadonlyMap<string, bigint>;
}

export class AppChartsTracker {
  /** Dimension order: the file's, then `other` when the file has no group of that name (as in Netdata). */
  private readonly order: readonly string[];
  private readonly shown = new Set<string>();
  private charts: readonly GroupChart[] = [];

  constructor(
    groups: readonly AppGroup[],
    private readonly mode: Mode,
    private readonly groupOf: GroupOfComm,
  ) {
    const names = groups.map((group) => group.name);
    this.order = names.includes(otherGroup) ? names : [...names, otherGroup];
  }

  /** `collected`: the counters the running plan counts (foldCommTotals). */
  update(perComm: CommTotals, collected: ReadonlySet<CounterId>): AppChartsUpdate {
    const { seen, snapshot } = foldCommTotals(perComm, this.groupOf, collected);
    const grown = [...seen].some((group) => !this.shown.has(group));
    if (grown) {
      seen.forEach((group) => this.shown.add(group));
      const groups = this.order.filter((group) => this.shown.has(group));
      this.charts = appChartsForMode(this.mode).map((chart) => groupChart(chart, groups));
    }
    return { define: grown ? this.charts : [], charts: this.charts, snapshot };
  }
}
