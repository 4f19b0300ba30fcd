// SPDX-License-Identifier: GPL-3.0-or-later
// dry-run's account of `cgroups = yes` and `apps = yes`: the kernel's key tables, the per-cgroup charts for the
// cgroups on disk now (by type: `cgroup_<name>.*`, and `services.*` with a dimension per service), and the apps.*
// charts with the groups their dimensions come from. Nothing is loaded: the cgroups are scanned once.
import { otherGroup } from '../apps/group-rules.js';
import { bpftraceKeyBound } from '../backend/bpftrace/generate-script.js';
import { CgroupRegistry } from '../cgroups/cgroup-registry.js';
import { appChartsForMode, appChartType } from '../charts/app-charts.js';
import { cgroupChartInstances } from '../charts/cgroup-chart-instances.js';
import { keyMeaning, type KeyTable } from '../plan/counter-keys.js';
import type { Mode } from '../plan/counters.js';
import type { Plan } from '../plan/plan-types.js';
import type { WhoOptions } from '../plugin/who-publisher.js';
import { wrapWords } from './wrap-words.js';

export interface WhoChartsReport {
  /** `cgroup_<name>.*`, `services.*` or `apps.*`. */
  readonly pattern: string;
  readonly context: string;
  readonly charts: readonly string[];
  /** The cgroup of a `cgroup_<name>` type; the services or groups that are the dimensions of the others. */
  readonly cgroupPath?: string;
  readonly dimensions?: readonly string[];
  /** Where the groups come from (apps.* only). */
  readonly groupsFile?: string | null;
}

export interface WhoReport {
  /** `heldInKernel`: what the kernel holds where the backend bounds the table above its size (bpftrace's one bound). */
  readonly keyTables: readonly (KeyTable & { readonly meaning: string; readonly heldInKernel?: number })[];
  /** The tracepoints on which a new cgroup is charted before its first event and a removed one's entries are
   *  deleted, when the host has them. */
  readonly cgroupEvents?: NonNullable<Plan['cgroupEvents']>;
  readonly keyStore?: NonNullable<Plan['keyStore']>;
  /** Whether a task whose own name matches no group counts in its nearest matching ancestor's, and how. */
  readonly appInheritance?: { readonly names: number; readonly reason: string };
  readonly charts: readonly WhoChartsReport[];
  /** With cgroups on: how many cgroups are charted now (0: none found, so no cgroup charts yet). */
  readonly cgroupsFound?: number;
}

const cgroupCharts = async (who: NonNullable<WhoOptions['cgroups']>, mode: Mode): Promise<{ found: number; charts: WhoChartsReport[] }> => {
  const registry = new CgroupRegistry(who.tableSize);
  registry.refresh(await who.discovery.scan());
  const instances = cgroupChartInstances(registry.followed, mode);
  const types = [...new Set(instances.map((chart) => chart.type))];
  return {
    found: new Set(instances.flatMap((chart) => chart.dimensions.map((dimension) => dimension.cgroupId))).size,
    charts: types.map((type) => {
      const charts = instances.filter((chart) => chart.type === type);
      const first = charts[0]!;
      const context = `${first.context.split('.')[0]}.*`;
      const cgroup = registry.followed.find((each) => each.id === first.dimensions[0]?.cgroupId);
      return first.labels.length > 0
        ? { pattern: `${type}.*`, context, charts: charts.map((chart) => chart.id), ...(cgroup ? { cgroupPath: cgroup.path } : {}) }
        : {
            pattern: `${type}.*`,
            context,
            charts: charts.map((chart) => chart.id),
            dimensions: first.dimensions.map((dimension) => dimension.name),
          };
    }),
  };
};

const appCharts = (who: NonNullable<WhoOptions['apps']>, mode: Mode): WhoChartsReport => {
  const names = who.groups.groups.map((group) => group.name);
  return {
    pattern: `${appChartType}.*`,
    context: `${appChartType}.*`,
    charts: appChartsForMode(mode).map((chart) => chart.id),
    dimensions: names.includes(otherGroup) ? names : [...names, otherGroup],
    groupsFile: who.groups.file ?? null,
  };
};

export const whoReport = async (who: WhoOptions, plan: Plan): Promise<WhoReport> => {
  const cgroups = who.cgroups ? await cgroupCharts(who.cgroups, plan.mode) : undefined;
  const bound = plan.backend === 'bpftrace' ? bpftraceKeyBound(plan.keys) : 0;
  return {
    keyTables: (plan.keys ?? []).map((table) => ({
      ...table,
      meaning: keyMeaning[table.key],
      ...(bound > table.entries ? { heldInKernel: bound } : {}),
    })),
    ...(plan.cgroupEvents ? { cgroupEvents: plan.cgroupEvents } : {}),
    ...(plan.keyStore ? { keyStore: plan.keyStore } : {}),
    ...(plan.appInheritance ? { appInheritance: { names: plan.appInheritance.names.length, reason: plan.appInheritance.reason } } : {}),
    charts: [...(cgroups?.charts ?? []), ...(who.apps ? [appCharts(who.apps, plan.mode)] : [])],
    ...(cgroups ? { cgroupsFound: cgroups.found } : {}),
  };
};

export const whoText = (report: WhoReport): string[] => [
  '',
  'charts per cgroup and per application (for the cgroups found now; an apps.* dimension appears once its group is seen):',
  ...(report.cgroupsFound === 0 ? ['cgroup_<name>.*, services.*  no cgroups found now: their charts come when cgroups appear'] : []),
  ...report.charts.flatMap((entry) => [
    `${entry.pattern}  ${entry.context}${entry.cgroupPath ? `, cgroup ${entry.cgroupPath}` : ''}` +
      `${entry.groupsFile !== undefined ? `, groups from ${entry.groupsFile ?? 'no apps_groups.conf'}` : ''}`,
    ...wrapWords(entry.charts, '  ', '  '),
    ...(entry.dimensions ? wrapWords(entry.dimensions, '  dimensions: ', '              ') : []),
  ]),
  '',
  'key tables (kept in the kernel; what finds its table full counts on the host charts and in ebpf.plugin_health):',
  ...report.keyTables.map(
    (table) =>
      `  ${table.key.padEnd(8)} ${String(table.entries).padStart(6)} entries` +
      `${table.heldInKernel ? ` (bpftrace holds ${table.heldInKernel}: one bound for all its maps)` : ''}: ${table.meaning}`,
  ),
  ...(report.keyStore
    ? [
        `  kept in ${
          report.keyStore.store === 'slots'
            ? "per-CPU array slots, each task's cached in task local storage"
            : 'per-CPU hashes, a lookup per event'
        }: ${report.keyStore.reason}`,
      ]
    : []),
  ...(report.appInheritance
    ? [
        report.appInheritance.names
          ? `  a task whose own name matches none of apps_groups.conf's ${report.appInheritance.names} names counts under its ` +
            `nearest matching ancestor's: ${report.appInheritance.reason}`
          : `  each task counts under its own name: ${report.appInheritance.reason}`,
      ]
    : []),
  ...(report.cgroupEvents
    ? [
        `  a new cgroup is charted before its first event (${report.cgroupEvents.created}); ` +
          `a removed one's entries are deleted on ${report.cgroupEvents.removed}`,
      ]
    : []),
];
