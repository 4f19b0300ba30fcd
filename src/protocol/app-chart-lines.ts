// SPDX-License-Identifier: GPL-3.0-or-later
// The per-application charts of one update as protocol lines: their definitions when the groups changed,
// then each chart's group totals.
import type { AppChartsUpdate } from '../apps/app-chart-updates.js';
import { appChartType } from '../charts/app-charts.js';
import { chartValues } from '../charts/chart-values.js';
import { placedChartLines } from './chart-definition-lines.js';
import { dataBlockLines } from './data-block-lines.js';

export const appChartLines = (update: AppChartsUpdate, updateEvery: number, microsecondsSinceLast: number | undefined): string[] => [
  ...update.define.flatMap((chart) =>
    placedChartLines(chart, { type: appChartType, family: chart.family, priority: chart.priority, kind: 'stacked' }, updateEvery, []),
  ),
  // Incremental dimensions read totals only: no earlier snapshot or elapsed time is needed.
  ...update.charts.flatMap((chart) =>
    dataBlockLines(chart, chartValues(chart, update.snapshot, undefined, 0), microsecondsSinceLast, appChartType),
  ),
];
