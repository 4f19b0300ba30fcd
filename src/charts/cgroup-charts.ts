// SPDX-License-Identifier: GPL-3.0-or-later
// The per-cgroup charts, as data, in Netdata's conventions for its eBPF cgroup charts (docs/cgroups.md): each
// followed cgroup gets charts of type `cgroup_<name>` (contexts cgroup.*, label cgroup_name), and systemd
// services share `services.*` charts with one dimension each. Unlike catalogue.ts's charts, these exist once
// per cgroup, so the catalogue below is turned into chart instances for the cgroups present.
import type { ProbeFamily } from '../plan/catalogue-types.js';
import type { CounterId, Mode } from '../plan/counters.js';
import { bytesPerSecond, titleInMode } from './mode-title.js';

/** What one chart shows, for a cgroup (own chart, one dimension) and for the services (one dimension each). */
export interface CgroupChartDefinition {
  /** Netdata's chart id, the same under `cgroup_<name>` and `services`. */
  readonly id: string;
  readonly probeFamily: ProbeFamily;
  readonly modes: readonly Mode[];
  readonly units: string;
  /** Summed into the one value per cgroup. */
  readonly counters: readonly CounterId[];
  /** Netdata's dimension of the per-cgroup chart (id: its kernel function name, name: what it counts). */
  readonly dimension: { readonly id: string; readonly name: string };
  /** Context suffix: `cgroup.<suffix>` per cgroup, `services.<suffix>` for the services chart. */
  readonly context: string;
  readonly cgroup: { readonly title: string; readonly family: string; readonly priority: number };
  readonly services: { readonly title: string; readonly family: string; readonly priority: number };
}

const both: readonly Mode[] = ['entry', 'return'];
const returnOnly: readonly Mode[] = ['return'];
const calls = 'calls/s';
/** NETDATA_CHART_PRIO_CGROUPS_CONTAINERS: the per-cgroup eBPF charts sit after cgroups.plugin's own. */
const containers = 40000;

type Row = [
  id: string,
  probeFamily: ProbeFamily,
  modes: readonly Mode[],
  units: string,
  counters: readonly CounterId[],
  dimension: [id: string, name: string],
  context: string,
  cgroupTitle: string,
  cgroupPriority: number,
  servicesPriority: number,
];

const menus: Readonly<Record<ProbeFamily, { cgroup: string; services: string }>> = {
  process: { cgroup: 'processes', services: 'process' },
  file: { cgroup: 'file_access', services: 'file_access' },
  vfs: { cgroup: 'vfs', services: 'vfs' },
};

// Netdata's titles; its services charts share them except where noted in docs/cgroups.md.
const rows: readonly Row[] = [
  [
    'process_create',
    'process',
    both,
    calls,
    ['process'],
    ['_do_fork', 'process'],
    'process_create',
    'Process started',
    containers + 5000,
    20065,
  ],
  [
    'thread_create',
    'process',
    both,
    calls,
    ['thread'],
    ['sys_clone', 'thread'],
    'thread_create',
    'Threads started',
    containers + 5001,
    20066,
  ],
  [
    'task_exit',
    'process',
    both,
    calls,
    ['exit'],
    ['do_exit', 'process'],
    'task_exit',
    'Tasks starts exit process.',
    containers + 5002,
    20068,
  ],
  ['task_close', 'process', both, calls, ['release'], ['release_task', 'task'], 'task_close', 'Tasks closed', containers + 5003, 20067],
  [
    'task_error',
    'process',
    returnOnly,
    calls,
    ['process_error', 'thread_error'],
    ['do_exit', 'process'],
    'task_error',
    'Errors to create process or threads.',
    containers + 5004,
    20069,
  ],
  ['file_open', 'file', both, calls, ['open'], ['do_sys_open', 'open'], 'fd_open', 'Number of open files', containers + 5400, 20061],
  [
    'file_open_error',
    'file',
    returnOnly,
    calls,
    ['open_error'],
    ['do_sys_open', 'open'],
    'fd_open_error',
    'Fails to open files',
    containers + 5401,
    20062,
  ],
  ['file_closed', 'file', both, calls, ['close'], ['__close_fd', 'close'], 'fd_close', 'Files closed', containers + 5402, 20063],
  [
    'file_close_error',
    'file',
    returnOnly,
    calls,
    ['close_error'],
    ['__close_fd', 'close'],
    'fd_close_error',
    'Fails to close files',
    containers + 5403,
    20064,
  ],
  ['file_deleted', 'vfs', both, calls, ['unlink'], ['vfs_unlink', 'delete'], 'vfs_unlink', 'Files deleted', containers + 5500, 20065],
  ['vfs_write_call', 'vfs', both, calls, ['write'], ['vfs_write', 'write'], 'vfs_write', 'Write to disk', containers + 5501, 20066],
  [
    'vfs_write_error',
    'vfs',
    returnOnly,
    calls,
    ['write_error'],
    ['vfs_write', 'write'],
    'vfs_write_error',
    'Fails to write',
    containers + 5502,
    20067,
  ],
  ['vfs_read_call', 'vfs', both, calls, ['read'], ['vfs_read', 'read'], 'vfs_read', 'Read from disk', containers + 5503, 20068],
  [
    'vfs_read_error',
    'vfs',
    returnOnly,
    calls,
    ['read_error'],
    ['vfs_read', 'read'],
    'vfs_read_error',
    'Fails to read',
    containers + 5504,
    20069,
  ],
  [
    'vfs_write_bytes',
    'vfs',
    both,
    bytesPerSecond,
    ['write_bytes'],
    ['vfs_write', 'write'],
    'vfs_write_bytes',
    'Bytes written on disk',
    containers + 5505,
    20070,
  ],
  [
    'vfs_read_bytes',
    'vfs',
    both,
    bytesPerSecond,
    ['read_bytes'],
    ['vfs_read', 'read'],
    'vfs_read_bytes',
    'Bytes read from disk',
    containers + 5506,
    20071,
  ],
];

export const cgroupChartCatalogue: readonly CgroupChartDefinition[] = rows.map(
  ([id, probeFamily, modes, units, counters, [dimensionId, dimensionName], context, title, cgroupPriority, servicesPriority]) => ({
    id,
    probeFamily,
    modes,
    units,
    counters,
    context,
    dimension: { id: dimensionId, name: dimensionName },
    cgroup: { title, family: menus[probeFamily].cgroup, priority: cgroupPriority },
    services: { title, family: menus[probeFamily].services, priority: servicesPriority },
  }),
);

export const cgroupChartsForMode = (mode: Mode): CgroupChartDefinition[] =>
  cgroupChartCatalogue
    .filter((chart) => chart.modes.includes(mode))
    .map((chart) => ({
      ...chart,
      cgroup: { ...chart.cgroup, title: titleInMode(chart.cgroup.title, chart.units, mode) },
      services: { ...chart.services, title: titleInMode(chart.services.title, chart.units, mode) },
    }));
