// SPDX-License-Identifier: GPL-3.0-or-later
// `dry-run`: load nothing; show every chart and dimension with the attach points that would feed it (the
// plugin's health chart, and with self monitoring its three charts, are fed by the plugin itself), and with
// cgroups or apps on, the charts per cgroup and per application and the kernel's key tables (dry-run-who.ts).
import {
  chartsForMode,
  chartType,
  dimensionCounters,
  pluginHealthChart,
  selfCostCharts,
  type ChartDefinition,
} from '../charts/catalogue.js';
import { selfMonitoringOn } from '../config/defaults.js';
import { planProbes, planRequest } from '../plan/plan-probes.js';
import { attachPointsFeeding } from '../plan/counter-sources.js';
import type { Plan } from '../plan/plan-types.js';
import { whoReport, whoText, type WhoReport } from './dry-run-who.js';
import { whoOptions } from './who-options.js';
import { describeChosen, resolveHost } from './resolve-host.js';
import type { CommonFlags } from './settings.js';
import { wrapWords } from './wrap-words.js';

export interface DryRunFlags extends CommonFlags {
  readonly facts?: string;
  readonly json?: boolean;
}

interface DimensionReport {
  readonly id: string;
  readonly counters: readonly string[];
  readonly probes: readonly string[];
  /** Set for the health chart, whose counts come from the plugin, not from the kernel. */
  readonly countedBy?: 'plugin';
}

interface ChartReport {
  readonly id: string;
  readonly title: string;
  readonly units: string;
  readonly family: string;
  readonly dimensions: readonly DimensionReport[];
}

const chartReport = <C extends string>(
  chart: ChartDefinition<C>,
  dimension: (definition: ChartDefinition<C>['dimensions'][number]) => DimensionReport,
): ChartReport => ({
  id: `${chartType}.${chart.id}`,
  title: chart.title,
  units: chart.units,
  family: chart.family,
  dimensions: chart.dimensions.map(dimension),
});

export const dryRunReport = (plan: Plan, backendReason: string, selfMonitoring = false, who?: WhoReport) => ({
  mode: plan.mode,
  tracing: plan.tracing,
  backend: plan.backend,
  backendReason,
  kernel: plan.kernel,
  ...(plan.filter ? { filter: plan.filter } : {}),
  ...(plan.filterHooks ? { filterHooks: plan.filterHooks } : {}),
  charts: [
    ...chartsForMode(plan.mode).map((chart) =>
      chartReport(chart, (dimension) => {
        const counters = dimensionCounters(dimension);
        return { id: dimension.id, counters, probes: [...new Set(counters.flatMap((counter) => attachPointsFeeding(plan, counter)))] };
      }),
    ),
    ...[pluginHealthChart, ...(selfMonitoring ? selfCostCharts : [])].map((chart: ChartDefinition<string>) =>
      chartReport(chart, (dimension) => ({ id: dimension.id, counters: dimensionCounters(dimension), probes: [], countedBy: 'plugin' })),
    ),
  ],
  plan: plan.probes.map((probe) => ({
    probe: probe.probe,
    counters: probe.counters,
    family: probe.chosen?.family ?? null,
    attachPoints: probe.chosen?.attachPoints ?? [],
    rejected: probe.rejected,
  })),
  ...(who ? { who } : {}),
});

/** Probes attached the same way, for the same reasons, share one entry: the reasons are then printed once. */
const alikeProbes = (plan: ReturnType<typeof dryRunReport>['plan']) => {
  const entries = new Map<string, { probes: string[]; family: string; rejected: (typeof plan)[number]['rejected'] }>();
  for (const probe of plan) {
    const key = JSON.stringify([probe.family, probe.rejected]);
    const entry = entries.get(key);
    if (entry) entry.probes.push(probe.probe);
    else entries.set(key, { probes: [probe.probe], family: probe.family ?? 'none', rejected: probe.rejected });
  }
  return [...entries.values()];
};

// The task filter and the events it hooks: what follows --pid's tree, and what bpftrace alone needs.
const filterText = (report: ReturnType<typeof dryRunReport>): string[] => {
  if (!report.filter) return [];
  const { pid, comm } = report.filter;
  const only = [pid === undefined ? '' : `process ${pid} and the tasks made from it`, comm === undefined ? '' : `tasks named ${comm}`];
  return [
    `counting only ${only.filter(Boolean).join(', ')}; the filter hooks:`,
    ...Object.entries(report.filterHooks ?? {}).map(
      ([role, hook]) => `  ${role.padEnd(8)} ${hook.event}: ${hook.does}${hook.why ? ` (${report.backend} only: ${hook.why})` : ''}`,
    ),
  ];
};

export const dryRunText = (report: ReturnType<typeof dryRunReport>): string[] => [
  `dry run: nothing is loaded. Mode ${report.mode}, tracing ${report.tracing}, kernel ${report.kernel}`,
  `backend: ${report.backend} (${report.backendReason})`,
  ...filterText(report),
  '',
  ...report.charts.flatMap((chart) => [
    `${chart.id}  ${chart.title} [${chart.units}, ${chart.family}]`,
    ...chart.dimensions.flatMap((dimension) => {
      const label = `  ${dimension.id.padEnd(8)} `;
      if (dimension.countedBy === 'plugin') return [`${label}counted by the plugin itself`];
      if (dimension.probes.length === 0) return [`${label}NOT COLLECTED on this host`];
      return wrapWords(dimension.probes, label, ' '.repeat(label.length), ', ');
    }),
  ]),
  '',
  'attach plan (why better candidates were not used):',
  ...alikeProbes(report.plan).flatMap((entry) => [
    `  ${entry.probes.join(', ').padEnd(12)} ${entry.family}`,
    ...entry.rejected.map((rejection) => `  ${''.padEnd(12)}   not ${rejection.family}: ${rejection.reason}`),
  ]),
  ...(report.who ? whoText(report.who) : []),
];

export const runDryRun = async (flags: DryRunFlags): Promise<void> => {
  // A --facts host is judged by its own bpftrace, and by what its facts recorded of its helper.
  const host = await resolveHost(flags, { factsFile: flags.facts });
  const { settings } = host;
  settings.warnings.forEach((warning) => process.stderr.write(`ebpf-process: ${warning}\n`));
  const backend = host.usable[0]?.backend ?? 'bpftrace';
  // This host's cgroups and apps_groups.conf, also with --facts: they are not in the facts file.
  const who = await whoOptions(settings.config, (message) => process.stderr.write(`ebpf-process: ${message}\n`));
  const plan = planProbes(host.facts, planRequest(settings, backend, who));
  const report = dryRunReport(plan, describeChosen(host), selfMonitoringOn(settings.config), who && (await whoReport(who, plan)));
  if (flags.json) console.log(JSON.stringify(report, null, 2));
  else dryRunText(report).forEach((line) => console.log(line));
};
