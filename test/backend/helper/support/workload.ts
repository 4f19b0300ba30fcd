// SPDX-License-Identifier: GPL-3.0-or-later
// Runs fixtures/workload.c and states what every counter must read for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { CounterId, Mode } from '../../../../src/plan/counters.js';

export interface WorkloadSize {
  readonly files: number;
  readonly failures: number;
  readonly forks: number;
  readonly threads: number;
}

// Derived from fixtures/workload.c: per file one open/write(100)/read(200 asked, 100 got)/close/unlink,
// then one /dev/null open/writev(50)/readv(0)/close; per failure one failing open/read(10)/write(10)/
// close/unlink and two failing clone plus two failing clone3 (one thread, one process each); the forks
// and threads exit, and the workload itself exits and is reaped.
export const expectedCounts = (mode: Mode, size: WorkloadSize): Partial<Record<CounterId, number>> => {
  const { files, failures, forks, threads } = size;
  const calls = files + 1 + failures;
  const tasks = { process: forks, thread: threads, exit: forks + threads + 1, release: forks + threads + 1 };
  if (mode === 'entry') {
    return {
      open: calls, close: calls, unlink: files + failures,
      read: calls, read_bytes: 200 * files + 10 * failures,
      write: calls, write_bytes: 100 * files + 10 * failures,
      ...tasks,
    };
  }
  return {
    open: calls, open_error: failures, close: calls, close_error: failures,
    unlink: files + failures, unlink_error: failures,
    read: calls, read_bytes: 100 * files, read_error: failures,
    write: calls, write_bytes: 100 * files + 50, write_error: failures,
    ...tasks, process_error: 2 * failures, thread_error: 2 * failures,
  };
};

/** Starts the workload and resolves once it waits for SIGUSR1. */
export const startWorkload = async (bin: string, dir: string, size: WorkloadSize): Promise<ChildProcess> => {
  const child = spawn(bin, [dir, ...[size.files, size.failures, size.forks, size.threads].map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [ready] = await once(child.stdout!, 'data') as [Buffer];
  if (ready.toString() !== 'ready\n') throw new Error(`workload said ${JSON.stringify(ready.toString())}`);
  return child;
};

export const runWorkload = async (child: ChildProcess): Promise<number | null> => {
  const exited = once(child, 'exit');
  child.kill('SIGUSR1');
  const [code] = await exited as [number | null];
  return code;
};
