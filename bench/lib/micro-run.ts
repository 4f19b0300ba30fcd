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
