// SPDX-License-Identifier: GPL-3.0-or-later
// One update of the per-cgroup charts, from the followed cgroups and their counter totals: the charts that
// exist now (keep them for the next call), what to define or obsolete first, and every chart's values.
import type { NamedCgroup } from '../cgroups/name-cgroups.js';
import type { CounterId, Mode } from '../plan/counters.js';
import { cgroupChartChanges, type CgroupChartChanges } from './cgroup-chart-changes.js';
import { cgroupChartInstances, type CgroupChartInstance } from './cgroup-chart-instances.js';
import { cgroupChartValues, type CgroupTotals } from './cgroup-chart-values.js';

export interface CgroupChartUpdate extends CgroupChartChanges {
  readonly charts: readonly CgroupChartInstance[];
  /** Values by chart key, then dimension id. */
  readonly values: ReadonlyMap<string, ReadonlyMap<string, bigint>>;
}

export const cgroupChartUpdate = (
  previous: readonly CgroupChartInstance[],
  cgroups: readonly NamedCgroup[],
  mode: Mode,
  totals: CgroupTotals,
  collected: ReadonlySet<CounterId>,
): CgroupChartUpdate => {
  const charts = cgroupChartInstances(cgroups, mode);
  return {
    charts,
    ...cgroupChartChanges(previous, charts),
    values: new Map(charts.map((chart) => [chart.key, cgroupChartValues(chart, totals, collected)])),
  };
};
