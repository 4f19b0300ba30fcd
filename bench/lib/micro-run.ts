// SPDX-License-Identifier: GPL-3.0-or-later
// Runs one workload of bench/micro.c and returns what it printed as a number.
import { execa } from 'execa';
import { microPath } from './native.js';
import { track, untrack } from './children.js';

export type Workload = 'read' | 'openclose' | 'fork' | 'thread';

const runMicro = async (args: readonly string[]): Promise<number[]> => {
  const child = execa(microPath, args);
  if (child.pid !== undefined) track(child.pid);
  try {
    return (await child).stdout.trim().split(' ').map(Number);
  } finally {
    if (child.pid !== undefined) untrack(child.pid);
  }
};

/** CPU and wall nanoseconds per operation of the workload. */
export const nsPerOp = async (workload: Workload, ops: number): Promise<{ cpu: number; wall: number }> => {
  const [cpu = Number.NaN, wall = Number.NaN] = await runMicro([workload, String(ops)]);
  return { cpu, wall };
};

/** 1-byte reads at a rate (per second, or 'max') for some seconds; returns how many were made. */
export const pacedReads = async (rate: number | 'max', seconds: number): Promise<number> =>
  (await runMicro(['rate', String(rate), String(seconds)]))[0] ?? Number.NaN;

/** Where the who workloads run: spread over the cgroups (none: where the bench runs) under these names
 *  (bench-app-0..; 0: the workload's own name). */
export interface Spread {
  readonly names: number;
  readonly cgroups?: { readonly dir: string; readonly count: number };
}

const spreadArgs = (spread: Spread): string[] => [String(spread.names), spread.cgroups?.dir ?? '-', String(spread.cgroups?.count ?? 0)];

/** Short-lived processes (open+close of /dev/null, then exit), spread; returns how many were made. */
export const churnProcesses = async (processes: number, spread: Spread): Promise<number> =>
  (await runMicro(['churn', String(processes), ...spreadArgs(spread)]))[0] ?? Number.NaN;

/** One process per cgroup or name, each reading a byte every 100 ms for the seconds. */
export const activeProcesses = async (seconds: number, spread: Spread): Promise<number> =>
  (await runMicro(['active', String(seconds), ...spreadArgs(spread)]))[0] ?? Number.NaN;
