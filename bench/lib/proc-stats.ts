// SPDX-License-Identifier: GPL-3.0-or-later
// What a process has cost so far, from /proc: CPU time (all threads) and peak resident memory.
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';

let ticksPerSecond: number | undefined;

const clockTicks = async (): Promise<number> => {
  ticksPerSecond ??= Number((await execa('getconf', ['CLK_TCK'])).stdout.trim());
  return ticksPerSecond;
};

/** User plus system CPU seconds used by the process (every thread of it). */
export const cpuSeconds = async (pid: number): Promise<number> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name: state is field 3, utime 14, stime 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
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
