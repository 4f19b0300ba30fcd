// SPDX-License-Identifier: GPL-3.0-or-later
// Runs bench/floor: attached once it says so; asked for its hit count between workloads.
import { execa } from 'execa';
import { endTree, track } from './children.js';
import { keepTail, onLines } from './lines.js';
import { floorPath } from './native.js';
import type { CounterKey } from '../../src/plan/counter-keys.js';

/**
 * Where a keyed floor keeps its count (bench/floor/floor.bpf.c): a per-CPU hash keyed by the counter key (cgroup,
 * comm), a slot into a per-CPU array cached in task local storage (task-cgroup, task-comm) or in cgroup local
 * storage (cgroup-slot), or the cgroup's total in its local storage (cgroup-total).
 */
export type FloorStore = CounterKey | 'task-cgroup' | 'task-comm' | 'cgroup-slot' | 'cgroup-total';

export interface FloorKey {
  readonly key: FloorStore;
  readonly entries: number;
}

export interface FloorRun {
  readonly pid: number;
  /** Hits so far on every attach point, summed over CPUs (the plain floor's; a keyed floor says 0). */
  hits(): Promise<number>;
  stop(): Promise<void>;
}

/** key: a keyed floor instead, its table of that many entries. */
export const startFloor = async (tracepoints: readonly string[], key?: FloorKey): Promise<FloorRun> => {
  const child = execa(floorPath, [...(key ? ['--key', key.key, String(key.entries)] : []), ...tracepoints], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  if (child.pid === undefined) throw new Error(`cannot start ${floorPath}`);
  const pid = child.pid;
  track(pid);
  const stderr = keepTail(child.stderr);
  const waiting: ((line: string) => void)[] = [];
  onLines(child.stdout, (line) => waiting.shift()?.(line));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      void child.then(() => reject(new Error(`floor exited: ${stderr()}`)));
    });
  const stop = async () => {
    child.stdin.end();
    await endTree(pid);
  };
  const attached = await nextLine().catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  if (!attached.startsWith('attached')) {
    await stop();
    throw new Error(`floor said ${attached}`);
  }
  return {
    pid,
    hits: async () => {
      const answer = nextLine();
      child.stdin.write('count\n');
      return Number(await answer);
    },
    stop,
  };
};
