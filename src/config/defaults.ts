// SPDX-License-Identifier: GPL-3.0-or-later
// Every default in one place. conf/ebpf_process.conf lists the same keys, commented out at these values.
import type { Mode } from '../plan/counters.js';
import type { TracingChoice } from '../plan/families.js';

export type BackendChoice = 'auto' | 'bpftrace' | 'helper';

export interface Config {
  /** `ebpf load mode`: entry counts calls (cheapest); return adds errors and transferred bytes. */
  readonly mode: Mode;
  /** `update every`: seconds between updates; the larger of this and Netdata's argv[1] wins. */
  readonly updateEvery: number;
  /** `ebpf co-re tracing`: auto picks the cheapest attach family each probe has on this host. */
  readonly tracing: TracingChoice;
  /** `backend`: auto runs bpftrace when present and usable, else the compiled helper. */
  readonly backend: BackendChoice;
  /** `bpftrace path`: absolute path of the bpftrace binary; unset: the first on PATH. */
  readonly bpftracePath: string | undefined;
  /** `helper path`: absolute path of the compiled helper (install points it at its capable copy); unset: the package's. */
  readonly helperPath: string | undefined;
  /** `self monitoring`: chart the programs' kernel time and the plugin's CPU; off by default because the
   *  kernel's BPF run-time statistics add a few ns to every BPF program on the host while they are on. */
  readonly selfMonitoring: 'yes' | 'no';
  /** `max kernel cpu`: percent of one core the programs may take before the plugin steps down; unset: no budget. */
  readonly maxKernelCpu: number | undefined;
  /** `max kernel cpu window`: seconds the cost must stay over (or under half) the budget before a step. */
  readonly budgetWindow: number;
  /** `apps`: also count per task name (comm), drawn per apps_groups.conf group in Netdata's Applications section. */
  readonly apps: 'yes' | 'no';
  /** `apps table size`: distinct task names the kernel table holds; names past it count on the host charts only. */
  readonly appsTableSize: number;
  /** `cgroups`: also count per cgroup (systemd services and containers); Netdata's key, off by default. */
  readonly cgroups: 'yes' | 'no';
  /** `cgroup table size`: cgroups the kernel's per-cgroup map holds; more are counted on the host charts only. */
  readonly cgroupTableSize: number;
}

export const defaultConfig: Config = {
  mode: 'entry',
  updateEvery: 1,
  tracing: 'auto',
  backend: 'auto',
  bpftracePath: undefined,
  helperPath: undefined,
  selfMonitoring: 'no',
  maxKernelCpu: undefined,
  budgetWindow: 10,
  apps: 'no',
  appsTableSize: 1024,
  cgroups: 'no',
  // Netdata's cgroups.plugin follows at most 1000 cgroups (`max cgroups to allow`) by default.
  cgroupTableSize: 1000,
};

/** What an unset path key means, for the message that falls back to it. */
export const unsetMeaning: Partial<Record<keyof Config, string>> = {
  bpftracePath: 'first bpftrace on PATH',
  helperPath: 'the helper built inside the package',
  maxKernelCpu: 'no budget',
};

/** The config keys as Netdata names them, in [global]. */
export const configKeys = {
  mode: 'ebpf load mode',
  updateEvery: 'update every',
  tracing: 'ebpf co-re tracing',
  backend: 'backend',
  bpftracePath: 'bpftrace path',
  helperPath: 'helper path',
  selfMonitoring: 'self monitoring',
  maxKernelCpu: 'max kernel cpu',
  budgetWindow: 'max kernel cpu window',
  apps: 'apps',
  appsTableSize: 'apps table size',
  cgroups: 'cgroups',
  cgroupTableSize: 'cgroup table size',
} as const satisfies Record<keyof Config, string>;

/** Names the original plugin accepted, still honoured. */
export const legacyKeys: Readonly<Record<string, keyof Config>> = { load: 'mode' };

/** A budget needs the measurement: setting `max kernel cpu` turns self monitoring on. */
export const selfMonitoringOn = (config: Config): boolean => config.selfMonitoring === 'yes' || config.maxKernelCpu !== undefined;
