// SPDX-License-Identifier: GPL-3.0-or-later
// CHART, DIMENSION and CLABEL lines: the only place the chart catalogue becomes protocol text.
import { chartPriority, chartType, type ChartDefinition, type ChartLabel } from '../charts/catalogue.js';
import { assertId, quote } from './quote.js';

export const pluginName = 'ebpf_process.plugin';
const moduleName = 'process';
/** CLABEL source 1: labels set automatically by the collector. */
const autoLabel = 1;

/** Where a chart goes: the host's charts are `ebpf.*` lines; the per-application ones `apps.*`, stacked; the
 *  per-cgroup ones have their own type and a context shared by all cgroups, and are sent obsolete once their
 *  cgroup left. */
export interface ChartPlacement {
  readonly type: string;
  readonly family: string;
  readonly priority: number;
  readonly kind: 'line' | 'stacked';
  /** Default: the chart's full id. */
  readonly context?: string;
  readonly obsolete?: boolean;
}

type DefinedChart = Pick<ChartDefinition<string>, 'id' | 'title' | 'units' | 'algorithm' | 'dimensions'>;

export const placedChartLines = (
  chart: DefinedChart,
  placement: ChartPlacement,
  updateEvery: number,
  labels: readonly ChartLabel[],
): string[] => {
  const fullId = `${assertId(placement.type)}.${assertId(chart.id)}`;
  return [
    [
      'CHART',
      fullId,
      "''",
      quote(chart.title),
      quote(chart.units),
      quote(placement.family),
      quote(placement.context ?? fullId),
      placement.kind,
      String(placement.priority),
      String(updateEvery),
      placement.obsolete ? 'obsolete' : "''",
      quote(pluginName),
      quote(moduleName),
    ].join(' '),
    ...chart.dimensions.map((dimension) =>
      [
        'DIMENSION',
        assertId(dimension.id),
        quote(dimension.name),
        chart.algorithm,
        String(dimension.multiplier ?? 1),
        String(dimension.divisor ?? 1),
      ].join(' '),
    ),
    ...labels.map((label) => `CLABEL ${quote(assertId(label.name))} ${quote(label.value)} ${autoLabel}`),
    ...(labels.length ? ['CLABEL_COMMIT'] : []),
  ];
};

export const chartDefinitionLines = (chart: ChartDefinition<string>, updateEvery: number, labels: readonly ChartLabel[]): string[] =>
  placedChartLines(chart, { type: chartType, family: chart.family, priority: chartPriority(chart), kind: 'line' }, updateEvery, labels);
