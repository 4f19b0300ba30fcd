// SPDX-License-Identifier: GPL-3.0-or-later
// Cgroups the bench makes for its workloads: <cgroup2 mount>/ebpf-process-bench-<pid>/c0..c<n-1>, found the way
// the plugin finds the v2 hierarchy. Every one is removed again, also when the bench fails or is interrupted
// (removeBenchCgroups() is synchronous for the signal handler).
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCgroupMounts, cgroupSetup } from '../../src/cgroups/cgroup-discovery.js';

export interface BenchCgroups {
  /** The parent directory; the cgroups are its c0..c<count-1>, as bench/micro.c expects them. */
  readonly dir: string;
  readonly count: number;
}

const made: BenchCgroups[] = [];

export const makeBenchCgroups = async (count: number): Promise<BenchCgroups> => {
  const setup = cgroupSetup(await readCgroupMounts());
  if (setup.kind !== 'v2') throw new Error(`the per-cgroup bench needs cgroup v2: ${setup.problem}`);
  const cgroups = { dir: join(setup.root, `ebpf-process-bench-${process.pid}-${made.length}`), count };
  mkdirSync(cgroups.dir);
  made.push(cgroups);
  for (let index = 0; index < count; index++) mkdirSync(join(cgroups.dir, `c${index}`));
  return cgroups;
};

// A cgroup whose last task is still being reaped is busy for a moment: try again for a while.
const removeDir = (dir: string): void => {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
};

export const removeBenchCgroups = (): void => {
  for (let cgroups = made.pop(); cgroups; cgroups = made.pop()) {
    for (let index = 0; index < cgroups.count; index++) removeDir(join(cgroups.dir, `c${index}`));
    removeDir(cgroups.dir);
  }
};
