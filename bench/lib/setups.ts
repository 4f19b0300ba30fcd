// SPDX-License-Identifier: GPL-3.0-or-later
// The setups a workload runs under: bare, the floor, or the plugin with one backend (bpftrace: one real
// build of it), in one mode.
import type { BpftraceBuild } from './bpftrace-builds.js';
import { startFloor, type FloorKey } from './floor-process.js';
import { startPlugin, type Backend, type Mode } from './plugin-process.js';

export type Setup =
  | { readonly kind: 'bare' }
  | { readonly kind: 'floor'; readonly mode: Mode; readonly key?: FloorKey }
  | { readonly kind: 'plugin'; readonly backend: Backend; readonly mode: Mode; readonly bpftrace?: BpftraceBuild; readonly who?: Who };

/** What the plugin also counts by, as its config says it: `cgroups = yes` or `apps = yes`. */
export type Who = 'cgroups' | 'apps';

export const setupName = (setup: Setup): string => {
  if (setup.kind === 'bare') return 'bare';
  if (setup.kind === 'floor') return `${setup.key ? `keyed floor (${setup.key.key}) ` : 'floor '}${setup.mode}`;
  return `${setup.backend}${setup.bpftrace ? ` ${setup.bpftrace.label}` : ''} ${setup.mode}${setup.who ? `, ${setup.who} = yes` : ''}`;
};

export type PluginSetup = Extract<Setup, { kind: 'plugin' }>;

/** The plugin flags beyond backend and mode: the bpftrace build's config file, --cgroups or --apps. */
export const pluginArgs = (setup: PluginSetup): string[] => [
  ...(setup.bpftrace ? ['--config', setup.bpftrace.configPath] : []),
  ...(setup.who ? [`--${setup.who}`] : []),
];

export interface RunningSetup {
  /** Processes holding the BPF programs (none when bare). */
  pids(): Promise<number[]>;
  /** Events counted so far: only the floor can say. */
  readonly hits?: () => Promise<number>;
  stop(): Promise<void>;
}

export const startSetup = async (setup: Setup, floorPoints: Readonly<Record<Mode, readonly string[]>>): Promise<RunningSetup> => {
  if (setup.kind === 'bare') return { pids: async () => [], stop: async () => {} };
  if (setup.kind === 'floor') {
    const floor = await startFloor(floorPoints[setup.mode], setup.key);
    return { pids: async () => [floor.pid], hits: floor.hits, stop: floor.stop };
  }
  const plugin = await startPlugin(setup.backend, setup.mode, pluginArgs(setup));
  return {
    pids: plugin.backendPids,
    stop: async () => {
      await plugin.stop();
    },
  };
};
