// SPDX-License-Identifier: GPL-3.0-or-later
// Define the mode's charts once, then write one BEGIN/SET/END block per chart for every sample.
import {
  chartsForMode,
  dimensionCounters,
  pluginHealthChart,
  selfCostCharts,
  type ChartDefinition,
  type ChartLabel,
  type HealthCounterId,
  type SelfCounterId,
} from '../charts/catalogue.js';
import { chartValues, snapshotTotals, type CounterSnapshot } from '../charts/chart-values.js';
import { attachPointsFeeding } from '../plan/counter-sources.js';
import type { CounterId, Mode } from '../plan/counters.js';
import type { Plan } from '../plan/plan-types.js';
import { chartDefinitionLines } from '../protocol/chart-definition-lines.js';
import { dataBlockLines } from '../protocol/data-block-lines.js';
import type { Totals } from '../samples/totals.js';

/** Labels say, per dimension, which attach points fed it on this host, and how the plugin ran. */
export const chartLabels = (chart: ChartDefinition, plan: Plan): ChartLabel[] => {
  const sourceOf = (counter: CounterId): string => attachPointsFeeding(plan, counter).join(',') || 'not collected';
  return [
    { name: 'mode', value: plan.mode },
    { name: 'backend', value: plan.backend },
    ...chart.dimensions.map((dimension) => ({
      name: `${dimension.id}_source`,
      value: [...new Set(dimensionCounters(dimension).map(sourceOf))].join(' '),
    })),
  ];
};

/** The health chart says how the plugin ran; its dimensions have no attach points. */
const healthLabels = (plan: Plan): ChartLabel[] => [
  { name: 'mode', value: plan.mode },
  { name: 'backend', value: plan.backend },
];

export type HealthSnapshot = ReadonlyMap<HealthCounterId, bigint>;
export type SelfValues = ReadonlyMap<SelfCounterId, bigint>;

export class ChartPublisher {
  private readonly charts: ChartDefinition[];
  private readonly counters: CounterId[];
  private previous: { snapshot: CounterSnapshot; health: HealthSnapshot; self: SelfValues | undefined; at: bigint } | undefined;

  /** `selfMonitoring`: the self cost charts are defined and sent too. */
  constructor(
    mode: Mode,
    private readonly updateEvery: number,
    private readonly selfMonitoring = false,
  ) {
    this.charts = chartsForMode(mode);
    this.counters = [...new Set(this.charts.flatMap((chart) => chart.dimensions.flatMap(dimensionCounters)))];
  }

  /** CHART lines; sent again (with fresh labels) when the plan changes after a fallback or a budget step.
   *  `budget` says on ebpf.self_cpu what the kernel CPU budget dropped and why. */
  definitions(plan: Plan, budget?: string): string[] {
    const selfLabels = [...healthLabels(plan), ...(budget ? [{ name: 'budget', value: budget }] : [])];
    return [
      ...this.charts.flatMap((chart) => chartDefinitionLines(chart, this.updateEvery, chartLabels(chart, plan))),
      ...chartDefinitionLines(pluginHealthChart, this.updateEvery, healthLabels(plan)),
      ...(this.selfMonitoring ? selfCostCharts.flatMap((chart) => chartDefinitionLines(chart, this.updateEvery, selfLabels)) : []),
    ];
  }

  /** Counters the plan does not collect (a probe refused, or dropped by the budget) are gaps, not flat lines. */
  dataBlocks(
    totals: Totals,
    collected: ReadonlySet<CounterId>,
    health: HealthSnapshot,
    self?: SelfValues,
    now: bigint = process.hrtime.bigint(),
  ): string[] {
    const snapshot = snapshotTotals(
      totals,
      this.counters.filter((counter) => collected.has(counter)),
    );
    const before = this.previous;
    const elapsedMicroseconds = before ? Number(now - before.at) / 1000 : undefined;
    const seconds = (elapsedMicroseconds ?? 0) / 1e6;
    this.previous = { snapshot, health, self, at: now };
    return [
      ...this.charts.flatMap((chart) =>
        dataBlockLines(chart, chartValues(chart, snapshot, before?.snapshot, seconds), elapsedMicroseconds),
      ),
      ...dataBlockLines(pluginHealthChart, chartValues(pluginHealthChart, health, before?.health, seconds), elapsedMicroseconds),
      ...(self
        ? selfCostCharts.flatMap((chart) => dataBlockLines(chart, chartValues(chart, self, before?.self, seconds), elapsedMicroseconds))
        : []),
    ];
  }
}
