// SPDX-License-Identifier: GPL-3.0-or-later
// What to tell Netdata between two updates: charts to define (new, or a services chart whose services changed:
// the dimensions that left are sent once more, marked obsolete) and charts to mark obsolete (their cgroup left).
import type { CgroupChartInstance, CgroupDimension } from './cgroup-chart-instances.js';

export interface ChartToDefine {
  readonly chart: CgroupChartInstance;
  /** Dimensions the chart had and no longer has: DIMENSION ... obsolete. */
  readonly obsoleteDimensions: readonly CgroupDimension[];
}

export interface CgroupChartChanges {
  readonly define: readonly ChartToDefine[];
  readonly obsolete: readonly CgroupChartInstance[];
}

const dimensionKey = (dimension: CgroupDimension): string => `${dimension.id} ${dimension.name}`;

export const cgroupChartChanges = (before: readonly CgroupChartInstance[], now: readonly CgroupChartInstance[]): CgroupChartChanges => {
  const previous = new Map(before.map((chart) => [chart.key, chart]));
  const current = new Set(now.map((chart) => chart.key));
  const define = now.flatMap((chart): ChartToDefine[] => {
    const old = previous.get(chart.key);
    if (!old) return [{ chart, obsoleteDimensions: [] }];
    const kept = new Set(chart.dimensions.map(dimensionKey));
    const oldKeys = old.dimensions.map(dimensionKey);
    const changed = oldKeys.length !== kept.size || oldKeys.some((key) => !kept.has(key));
    return changed ? [{ chart, obsoleteDimensions: old.dimensions.filter((dimension) => !kept.has(dimensionKey(dimension))) }] : [];
  });
  return { define, obsolete: before.filter((chart) => !current.has(chart.key)) };
};
