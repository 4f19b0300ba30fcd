// SPDX-License-Identifier: GPL-3.0-or-later
// Runs bench/floor: attached once it says so; asked for its hit count between workloads.
import { execa } from 'execa';
import { endTree, track } from './children.js';
import { keepTail, onLines } from './lines.js';
import { floorPath } from './native.js';
import type { KeyTable } from '../../src/plan/counter-keys.js';

export interface FloorRun {
  readonly pid: number;
  /** Hits so far on every attach point, summed over CPUs (the plain floor's; a keyed floor says 0). */
  hits(): Promise<number>;
  stop(): Promise<void>;
}

/** key: the keyed floor instead, a per-CPU hash of that many entries keyed by cgroup id or command name. */
export const startFloor = async (tracepoints: readonly string[], key?: KeyTable): Promise<FloorRun> => {
  const child = execa(floorPath, [...(key ? ['--key', key.key, String(key.entries)] : []), ...tracepoints], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false });
  if (child.pid === undefined) throw new Error(`cannot start ${floorPath}`);
  const pid = child.pid;
  track(pid);
  const stderr = keepTail(child.stderr);
  const waiting: ((line: string) => void)[] = [];
  onLines(child.stdout, (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve, reject) => {
    waiting.push(resolve);
    void child.then(() => reject(new Error(`floor exited: ${stderr()}`)));
  });
  const stop = async () => {
    child.stdin.end();
    await endTree(pid);
  };
  const attached = await nextLine().catch(async (error: unknown) => { await stop(); throw error; });
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
