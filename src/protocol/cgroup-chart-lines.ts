// SPDX-License-Identifier: GPL-3.0-or-later
// CHART and DIMENSION lines of the per-cgroup charts: like the catalogue's, but with their own type, context and
// chart type, services' dimensions that left marked obsolete, and whole charts marked obsolete when their
// cgroup left (Netdata then stops offering them and deletes them later). Data blocks: data-block-lines.ts.
import type { CgroupChartInstance, CgroupDimension } from '../charts/cgroup-chart-instances.js';
import { labelLines, moduleName, pluginName } from './chart-definition-lines.js';
import { assertId, quote } from './quote.js';

const chartLine = (chart: CgroupChartInstance, updateEvery: number, options: string): string =>
  ['CHART', `${assertId(chart.type)}.${assertId(chart.id)}`, "''", quote(chart.title), quote(chart.units), quote(chart.family),
    quote(chart.context), chart.chartType, String(chart.priority), String(updateEvery), quote(options), quote(pluginName), quote(moduleName)].join(' ');

const dimensionLine = (dimension: CgroupDimension, options: string): string =>
  ['DIMENSION', assertId(dimension.id), quote(dimension.name), 'incremental', '1', '1', ...(options ? [options] : [])].join(' ');

export const cgroupChartDefinitionLines = (
  chart: CgroupChartInstance, updateEvery: number, obsoleteDimensions: readonly CgroupDimension[] = [],
): string[] => [
  chartLine(chart, updateEvery, ''),
  ...chart.dimensions.map((dimension) => dimensionLine(dimension, '')),
  ...obsoleteDimensions.map((dimension) => dimensionLine(dimension, 'obsolete')),
  ...labelLines(chart.labels),
];

export const obsoleteCgroupChartLines = (chart: CgroupChartInstance, updateEvery: number): string[] => [chartLine(chart, updateEvery, 'obsolete')];
