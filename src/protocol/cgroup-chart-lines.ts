// SPDX-License-Identifier: GPL-3.0-or-later
// The per-cgroup charts as protocol lines: placed with their own type, context and chart type; a services
// chart's dimensions that left sent once more as obsolete; whole charts sent obsolete when their cgroup left
// (Netdata then stops offering them). Their data blocks: data-block-lines.ts with the chart's type.
import type { CgroupChartInstance, CgroupDimension } from '../charts/cgroup-chart-instances.js';
import { placedChartLines } from './chart-definition-lines.js';
import { assertId, quote } from './quote.js';

const placed = (chart: CgroupChartInstance, updateEvery: number, obsolete: boolean): string[] =>
  placedChartLines(
    chart,
    { type: chart.type, family: chart.family, priority: chart.priority, kind: chart.kind, context: chart.context, obsolete },
    updateEvery,
    chart.labels,
  );

export const cgroupChartDefinitionLines = (
  chart: CgroupChartInstance,
  updateEvery: number,
  obsoleteDimensions: readonly CgroupDimension[] = [],
): string[] => [
  ...placed(chart, updateEvery, false),
  ...obsoleteDimensions.map((dimension) => `DIMENSION ${assertId(dimension.id)} ${quote(dimension.name)} ${chart.algorithm} 1 1 obsolete`),
];

export const obsoleteCgroupChartLines = (chart: CgroupChartInstance, updateEvery: number): string[] => placed(chart, updateEvery, true);
