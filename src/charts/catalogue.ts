// SPDX-License-Identifier: GPL-3.0-or-later
// The ten event charts, the plugin's health chart and its self monitoring charts, as data. The protocol writer
// is the only code that turns them into CHART/DIMENSION lines.
import { probeFamilies, type ProbeFamily } from '../plan/catalogue-types.js';
import type { CounterId, Mode } from '../plan/counters.js';
import { bytesPerSecond, titleInMode } from './mode-title.js';

export type Algorithm = 'incremental' | 'absolute';

/** A dimension reads one counter (incremental) or, for absolute charts, the per-second rate of
 *  `plus` counters minus `minus` counters, or with `per` the growth of `plus` per unit of growth of `per`
 *  (nanoseconds per event). Event charts read backend counters, the plugin charts the plugin's. */
export interface DimensionDefinition<C extends string = CounterId> {
  readonly id: string;
  readonly name: string;
  readonly plus: readonly C[];
  readonly minus?: readonly C[];
  readonly per?: readonly C[];
  readonly multiplier?: number;
  readonly divisor?: number;
}

/** A CLABEL of a chart instance: what the chart is about (a cgroup's name, the plan's mode and backend). */
export interface ChartLabel {
  readonly name: string;
  readonly value: string;
}

export interface ChartDefinition<C extends string = CounterId> {
  readonly id: string;
  readonly title: string;
  readonly units: string;
  readonly family: ProbeFamily | 'plugin';
  readonly algorithm: Algorithm;
  readonly modes: readonly Mode[];
  readonly dimensions: readonly DimensionDefinition<C>[];
}

/** What the plugin counts about itself: backend restarts, events the kernel dropped, unreadable backend output,
 *  generated scripts bpftrace refused to compile, cgroups that found the per-cgroup table full, events whose key found
 *  its kernel table full, and the kernel CPU budget's steps (a restart by design, kept apart so the restart alert does not fire on one). */
export const healthCounterIds = [
  'restarts',
  'lost_events',
  'parse_errors',
  'script_errors',
  // Cgroups found while `cgroup table size` was full: counted on the host charts only.
  'cgroups_over_table',
  // Restarts with a new plan decided by `max kernel cpu`: not counted as restarts.
  'budget_steps',
  // Runs of the collector's programs the kernel skipped (recursion_misses): events no chart counted.
  'skipped_events',
  // Events whose cgroup or name found its kernel table full (`cgroup table size`, `apps table size`): counted on the
  // host charts, in no cgroup's or application's.
  'events_over_cgroup_table',
  'events_over_apps_table',
] as const;
export type HealthCounterId = (typeof healthCounterIds)[number];

export const chartType = 'ebpf';
export const basePriority = 21000;

const callsPerSecond = 'calls/s';
const both: readonly Mode[] = ['entry', 'return'];
const returnOnly: readonly Mode[] = ['return'];
const counter = <C extends string>(id: string, name: string, source: C, multiplier?: number): DimensionDefinition<C> => ({
  id,
  name,
  plus: [source],
  ...(multiplier ? { multiplier } : {}),
});

// Order is priority order: basePriority + index. Written bytes are drawn below zero (they move down to the
// disk), and releases too, mirroring exits.
export const chartCatalogue: readonly ChartDefinition[] = [
  {
    id: 'file_descriptor',
    title: 'Open and close calls',
    units: callsPerSecond,
    family: 'file',
    algorithm: 'incremental',
    modes: both,
    dimensions: [counter('open', 'open', 'open'), counter('close', 'close', 'close')],
  },
  {
    id: 'file_error',
    title: 'Open and close fails',
    units: callsPerSecond,
    family: 'file',
    algorithm: 'incremental',
    modes: returnOnly,
    dimensions: [counter('open', 'open', 'open_error'), counter('close', 'close', 'close_error')],
  },
  {
    id: 'deleted_objects',
    title: 'Remove files',
    units: callsPerSecond,
    family: 'vfs',
    algorithm: 'incremental',
    modes: both,
    dimensions: [counter('delete', 'delete', 'unlink')],
  },
  {
    id: 'io',
    title: 'Calls to IO',
    units: callsPerSecond,
    family: 'vfs',
    algorithm: 'incremental',
    modes: both,
    dimensions: [counter('read', 'read', 'read'), counter('write', 'write', 'write')],
  },
  {
    id: 'io_bytes',
    title: 'Bytes written and read',
    units: bytesPerSecond,
    family: 'vfs',
    algorithm: 'incremental',
    modes: both,
    dimensions: [counter('read', 'read', 'read_bytes'), counter('write', 'write', 'write_bytes', -1)],
  },
  {
    id: 'io_error',
    title: 'Fails to write, read or remove',
    units: callsPerSecond,
    family: 'vfs',
    algorithm: 'incremental',
    modes: returnOnly,
    dimensions: [
      counter('delete', 'delete', 'unlink_error'),
      counter('read', 'read', 'read_error'),
      counter('write', 'write', 'write_error'),
    ],
  },
  {
    id: 'process_thread',
    title: 'Start process and thread',
    units: callsPerSecond,
    family: 'process',
    algorithm: 'incremental',
    modes: both,
    dimensions: [counter('process', 'process', 'process'), counter('thread', 'thread', 'thread')],
  },
  {
    id: 'exit',
    title: 'Exit and release tasks',
    units: callsPerSecond,
    family: 'process',
    algorithm: 'incremental',
    modes: both,
    dimensions: [counter('process', 'process', 'exit'), counter('task', 'task', 'release', -1)],
  },
  {
    id: 'process_status',
    title: 'Tasks not closed',
    units: 'difference',
    family: 'process',
    algorithm: 'absolute',
    modes: both,
    dimensions: [
      { id: 'process', name: 'process', plus: ['process', 'thread'], minus: ['exit'] },
      { id: 'zombie', name: 'zombie', plus: ['exit'], minus: ['release'] },
    ],
  },
  {
    id: 'task_error',
    title: 'Fails to create process or thread',
    units: callsPerSecond,
    family: 'process',
    algorithm: 'incremental',
    modes: returnOnly,
    dimensions: [counter('process', 'process', 'process_error'), counter('thread', 'thread', 'thread_error')],
  },
];

// Trouble shows where a user looks: next to the event charts, in both modes, after them in priority.
export const pluginHealthChart: ChartDefinition<HealthCounterId> = {
  id: 'plugin_health',
  title: 'eBPF collector health',
  units: 'events/s',
  family: 'plugin',
  algorithm: 'incremental',
  modes: both,
  // A dimension per counter, in their order, named as its id is spelled with spaces.
  dimensions: healthCounterIds.map((id) => counter(id, id.replaceAll('_', ' '), id)),
};

/** What self monitoring measures: per probe family the runs of its programs (events), the runs the kernel skipped
 *  and their kernel run time, all programs' run time, and the CPU time of the plugin's node process and of its
 *  backend processes. */
export type SelfCounterId =
  | `${ProbeFamily}_events`
  | `${ProbeFamily}_skipped`
  | `${ProbeFamily}_ns`
  | 'kernel_ns'
  | 'node_ns'
  | 'backend_ns';

/** Nanoseconds of CPU per second, divided by this, are percent of one core. */
const nsPerSecondPerPercent = 10_000_000;

// The collector's own cost, after its health: opt-in (`self monitoring`), docs/performance.md says how to read them.
export const selfCostCharts: readonly ChartDefinition<SelfCounterId>[] = [
  {
    id: 'self_events',
    title: "Events the collector's BPF programs ran for",
    units: 'events/s',
    family: 'plugin',
    algorithm: 'incremental',
    modes: both,
    dimensions: probeFamilies.map((family) => counter(family, family, `${family}_events` as const)),
  },
  {
    id: 'self_cost_per_event',
    title: "Kernel time of the collector's BPF programs per event",
    units: 'ns/event',
    family: 'plugin',
    algorithm: 'absolute',
    modes: both,
    dimensions: probeFamilies.map((family) => ({
      id: family,
      name: family,
      plus: [`${family}_ns` as const],
      per: [`${family}_events` as const],
    })),
  },
  {
    id: 'self_cpu',
    title: 'CPU of the collector: its BPF programs in the kernel, node and the backend',
    units: '% of one core',
    family: 'plugin',
    algorithm: 'incremental',
    modes: both,
    dimensions: (['kernel', 'node', 'backend'] as const).map((id) => ({
      id,
      name: id,
      plus: [`${id}_ns` as const],
      divisor: nsPerSecondPerPercent,
    })),
  },
  // A run the kernel skips is an event not counted: its per-CPU recursion guard does not run a perf tracepoint
  // program while another tracing program runs on the CPU (bpftrace's releases, fired in softirq; docs/selftest.md).
  {
    id: 'self_skipped',
    title: "Events the kernel skipped the collector's BPF programs for",
    units: 'events/s',
    family: 'plugin',
    algorithm: 'incremental',
    modes: both,
    dimensions: probeFamilies.map((family) => counter(family, family, `${family}_skipped` as const)),
  },
];

export const chartsForMode = (mode: Mode): ChartDefinition[] =>
  chartCatalogue
    .filter((chart) => chart.modes.includes(mode))
    .map((chart) => ({ ...chart, title: titleInMode(chart.title, chart.units, mode) }));

const pluginCharts: readonly ChartDefinition<string>[] = [pluginHealthChart, ...selfCostCharts];

export const chartPriority = (chart: ChartDefinition<string>): number =>
  basePriority +
  (pluginCharts.includes(chart)
    ? chartCatalogue.length + pluginCharts.indexOf(chart)
    : chartCatalogue.findIndex((each) => each.id === chart.id));

export const dimensionCounters = <C extends string>(dimension: DimensionDefinition<C>): C[] => [
  ...dimension.plus,
  ...(dimension.minus ?? []),
  ...(dimension.per ?? []),
];
