// SPDX-License-Identifier: GPL-3.0-or-later
// The host the numbers were taken on: they mean nothing without it.
import { cpus, totalmem } from 'node:os';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';

export interface Machine {
  readonly kernel: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly bpftrace: string;
  readonly lockdown: string;
  readonly date: string;
}

const firstLine = async (run: () => Promise<string>): Promise<string> => {
  try {
    return (await run()).split('\n')[0]!.trim();
  } catch {
    return 'unknown';
  }
};

export const describeMachine = async (): Promise<Machine> => ({
  kernel: await firstLine(async () => (await execa('uname', ['-srm'])).stdout),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  bpftrace: await firstLine(async () => (await execa('bpftrace', ['--version'])).stdout),
  lockdown: await firstLine(() => readFile('/sys/kernel/security/lockdown', 'utf8')),
  date: new Date().toISOString(),
});
