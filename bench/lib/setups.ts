// SPDX-License-Identifier: GPL-3.0-or-later
// The setups a workload runs under: bare, the floor, or the plugin with one backend, in one mode.
import { startFloor } from './floor-process.js';
import { startPlugin, type Backend, type Mode } from './plugin-process.js';

export type Setup =
  | { readonly kind: 'bare' }
  | { readonly kind: 'floor'; readonly mode: Mode }
  | { readonly kind: 'plugin'; readonly backend: Backend; readonly mode: Mode };

export const setupName = (setup: Setup): string =>
  setup.kind === 'bare' ? 'bare' : `${setup.kind === 'floor' ? 'floor' : setup.backend} ${setup.mode}`;

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
    const floor = await startFloor(floorPoints[setup.mode]);
    return { pids: async () => [floor.pid], hits: floor.hits, stop: floor.stop };
  }
  const plugin = await startPlugin(setup.backend, setup.mode);
  return { pids: plugin.backendPids, stop: async () => { await plugin.stop(); } };
};
