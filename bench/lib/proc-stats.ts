// SPDX-License-Identifier: GPL-3.0-or-later
// What a process has cost so far, from /proc: CPU time (all threads) and peak resident memory.
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { statFields } from '../../src/self-cost/proc-stat.js';

let ticksPerSecond: number | undefined;

const clockTicks = async (): Promise<number> => {
  ticksPerSecond ??= Number((await execa('getconf', ['CLK_TCK'])).stdout.trim());
  return ticksPerSecond;
};

/** User plus system CPU seconds used by the process (every thread of it). */
export const cpuSeconds = async (pid: number): Promise<number> => {
  const fields = statFields(pid);
  if (!fields) throw new Error(`process ${pid} is gone: no /proc/${pid}/stat to read its CPU time from`);
  return (Number(fields[11]) + Number(fields[12])) / (await clockTicks());
};

const statusKiB = async (pid: number, key: string): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const line = status.split('\n').find((each) => each.startsWith(`${key}:`));
  if (!line) throw new Error(`/proc/${pid}/status has no ${key}`);
  return Number(line.split(/\s+/)[1]);
};

/** Peak resident set size (VmHWM) in MiB. */
export const peakRssMiB = async (pid: number): Promise<number> => (await statusKiB(pid, 'VmHWM')) / 1024;

/** Resident set size now (VmRSS) in MiB. */
export const rssMiB = async (pid: number): Promise<number> => (await statusKiB(pid, 'VmRSS')) / 1024;
