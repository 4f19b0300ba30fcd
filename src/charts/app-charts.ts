// SPDX-License-Identifier: GPL-3.0-or-later
// The per-application charts as data, with the ids, titles, units, families and priorities of Netdata's
// ebpf.plugin of Debian trixie's Netdata (1.37): type `apps`, one chart per metric, one dimension per
// apps_groups.conf group, beside apps.plugin's `apps.*` charts. Reference: docs/apps.md.
import type { CounterId, Mode } from '../plan/counters.js';
import { bytesPerSecond, titleInMode } from './mode-title.js';
import type { DimensionDefinition } from './catalogue.js';

export const appChartType = 'apps';

export interface AppChartDefinition {
  readonly id: string;
  readonly title: string;
  readonly units: string;
  /** The submenu of the Applications section. */
  readonly family: string;
  readonly priority: number;
  readonly modes: readonly Mode[];
  /** Summed per group into the chart's one value per group. */
  readonly counters: readonly CounterId[];
}

/** One chart as drawn for the groups seen so far: a dimension per group, carrying its totals. */
export type GroupChart = Omit<AppChartDefinition, 'modes' | 'counters'> & {
  readonly algorithm: 'incremental';
  readonly dimensions: readonly DimensionDefinition<string>[];
};

const both: readonly Mode[] = ['entry', 'return'];
const returnOnly: readonly Mode[] = ['return'];
const calls = 'calls/s';

// Netdata's priorities as they are: its process and vfs charts share 20065-20069 (the dashboard then
// orders them by id).
export const appCharts: readonly AppChartDefinition[] = [
  { id: 'file_open', title: 'Number of open files', units: calls, family: 'file_access', priority: 20061, modes: both, counters: ['open'] },
  {
    id: 'file_open_error',
    title: 'Fails to open files',
    units: calls,
    family: 'file_access',
    priority: 20062,
    modes: returnOnly,
    counters: ['open_error'],
  },
  { id: 'file_closed', title: 'Files closed', units: calls, family: 'file_access', priority: 20063, modes: both, counters: ['close'] },
  {
    id: 'file_close_error',
    title: 'Fails to close files',
    units: calls,
    family: 'file_access',
    priority: 20064,
    modes: returnOnly,
    counters: ['close_error'],
  },
  {
    id: 'process_create',
    title: 'Process started',
    units: calls,
    family: 'processes',
    priority: 20065,
    modes: both,
    counters: ['process'],
  },
  { id: 'thread_create', title: 'Threads started', units: calls, family: 'processes', priority: 20066, modes: both, counters: ['thread'] },
  {
    id: 'task_exit',
    title: 'Tasks starts exit process.',
    units: calls,
    family: 'processes',
    priority: 20067,
    modes: both,
    counters: ['exit'],
  },
  { id: 'task_close', title: 'Tasks closed', units: calls, family: 'processes', priority: 20068, modes: both, counters: ['release'] },
  {
    id: 'task_error',
    title: 'Errors to create process or threads.',
    units: calls,
    family: 'processes',
    priority: 20069,
    modes: returnOnly,
    counters: ['process_error', 'thread_error'],
  },
  { id: 'file_deleted', title: 'Files deleted', units: calls, family: 'vfs', priority: 20065, modes: both, counters: ['unlink'] },
  { id: 'vfs_write_call', title: 'Write to disk', units: calls, family: 'vfs', priority: 20066, modes: both, counters: ['write'] },
  {
    id: 'vfs_write_error',
    title: 'Fails to write',
    units: calls,
    family: 'vfs',
    priority: 20067,
    modes: returnOnly,
    counters: ['write_error'],
  },
  { id: 'vfs_read_call', title: 'Read from disk', units: calls, family: 'vfs', priority: 20068, modes: both, counters: ['read'] },
  {
    id: 'vfs_read_error',
    title: 'Fails to read',
    units: calls,
    family: 'vfs',
    priority: 20069,
    modes: returnOnly,
    counters: ['read_error'],
  },
  {
    id: 'vfs_write_bytes',
    title: 'Bytes written on disk',
    units: bytesPerSecond,
    family: 'vfs',
    priority: 20070,
    modes: both,
    counters: ['write_bytes'],
  },
  {
    id: 'vfs_read_bytes',
    title: 'Bytes read from disk',
    units: bytesPerSecond,
    family: 'vfs',
    priority: 20071,
    modes: both,
    counters: ['read_bytes'],
  },
];

export const appChartsForMode = (mode: Mode): AppChartDefinition[] =>
  appCharts
    .filter((chart) => chart.modes.includes(mode))
    .map((chart) => ({ ...chart, title: titleInMode(chart.title, chart.units, mode) }));

/** The key of one group's total of one counter in a group snapshot: group names never hold a '/'. */
export const groupCounterKey = (group: string, counter: CounterId): string => `${group}/${counter}`;

export const groupChart = (chart: AppChartDefinition, groups: readonly string[]): GroupChart => ({
  id: chart.id,
  title: chart.title,
  units: chart.units,
  family: chart.family,
  priority: chart.priority,
  algorithm: 'incremental',
  dimensions: groups.map((group) => ({ id: group, name: group, plus: chart.counters.map((counter) => groupCounterKey(group, counter)) })),
});
