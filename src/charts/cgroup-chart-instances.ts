// SPDX-License-Identifier: GPL-3.0-or-later
// The charts the followed cgroups need now: for every charted cgroup its own charts, and for the charted
// services one services.* chart per catalogue chart with a dimension each. Two cgroups that got the same
// name (Netdata disables such duplicates too) would share chart ids: the first followed keeps the name.
import { kindPrefix, type CgroupKind } from '../cgroups/cgroup-identity.js';
import type { NamedCgroup } from '../cgroups/cgroup-discovery.js';
import type { Mode } from '../plan/counters.js';
import type { ChartLabel, DimensionDefinition } from './catalogue.js';
import { cgroupChartsForMode, type CgroupChartDefinition } from './cgroup-charts.js';

export const servicesChartType = 'services';

/** A catalogue dimension (its value: the sum of `plus`) of one cgroup's totals. */
export interface CgroupDimension extends DimensionDefinition {
  readonly cgroupId: bigint;
  /** cgroupId as the kernel map's key prints it. */
  readonly cgroupKey: string;
}

export interface CgroupChartInstance {
  /** `type.id`, unique among the instances. */
  readonly key: string;
  readonly type: string;
  readonly id: string;
  readonly title: string;
  readonly units: string;
  readonly family: string;
  readonly context: string;
  readonly kind: 'line' | 'stacked';
  readonly priority: number;
  readonly algorithm: 'incremental';
  readonly dimensions: readonly CgroupDimension[];
  readonly labels: readonly ChartLabel[];
}

const uniqueCharted = (cgroups: readonly NamedCgroup[], kind: CgroupKind): NamedCgroup[] => {
  const seen = new Set<string>();
  return cgroups.filter((cgroup) => {
    if (cgroup.kind !== kind || !cgroup.charted || seen.has(cgroup.name)) return false;
    seen.add(cgroup.name);
    return true;
  });
};

const cgroupChart = (chart: CgroupChartDefinition, cgroup: NamedCgroup): CgroupChartInstance => {
  const type = `${kindPrefix.cgroup}${cgroup.name}`;
  return {
    key: `${type}.${chart.id}`,
    type,
    id: chart.id,
    title: chart.cgroup.title,
    units: chart.units,
    family: chart.cgroup.family,
    context: `cgroup.${chart.context}`,
    kind: 'line',
    priority: chart.cgroup.priority,
    algorithm: 'incremental',
    dimensions: [{ ...chart.dimension, cgroupId: cgroup.id, cgroupKey: String(cgroup.id), plus: chart.counters }],
    labels: [{ name: 'cgroup_name', value: cgroup.name }],
  };
};

const servicesChart = (chart: CgroupChartDefinition, services: readonly NamedCgroup[]): CgroupChartInstance => ({
  key: `${servicesChartType}.${chart.id}`,
  type: servicesChartType,
  id: chart.id,
  title: chart.services.title,
  units: chart.units,
  family: chart.services.family,
  context: `${servicesChartType}.${chart.context}`,
  kind: 'stacked',
  priority: chart.services.priority,
  algorithm: 'incremental',
  dimensions: services.map((service) => ({
    id: `${kindPrefix.service}${service.name}`,
    name: service.name,
    cgroupId: service.id,
    cgroupKey: String(service.id),
    plus: chart.counters,
  })),
  labels: [],
});

export const cgroupChartInstances = (cgroups: readonly NamedCgroup[], mode: Mode): CgroupChartInstance[] => {
  const charts = cgroupChartsForMode(mode);
  const services = uniqueCharted(cgroups, 'service');
  return [
    ...uniqueCharted(cgroups, 'cgroup').flatMap((cgroup) => charts.map((chart) => cgroupChart(chart, cgroup))),
    ...(services.length > 0 ? charts.map((chart) => servicesChart(chart, services)) : []),
  ];
};
