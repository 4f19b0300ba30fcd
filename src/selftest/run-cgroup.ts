// SPDX-License-Identifier: GPL-3.0-or-later
// `selftest --cgroups`: a cgroup made for one run, under the cgroup v2 mount, so the workload's per-cgroup counts
// are its own. Its name is unpredictable (mkdtemp), so no other process chose it; it is removed at the end.
import { mkdtemp, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SelftestError } from './selftest-error.js';

export interface RunCgroup {
  /** As cgroups.plugin writes it: "/ebpf-process-selftest-AbC123". */
  readonly relative: string;
  /** The directory's inode: the id the kernel counts the cgroup's tasks under. */
  readonly id: bigint;
  /** Moves a process (all its threads) into the cgroup; its children are born there. */
  readonly enter: (pid: number) => Promise<void>;
  /** Removes the cgroup once its tasks are gone; a task still in it is moved to the mount's root first. */
  readonly remove: () => Promise<void>;
}

const errno = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? '';

const cannot = (what: string, error: unknown, fix: string): SelftestError =>
  new SelftestError(
    'ebpf.selftest.cgroup',
    `selftest --cgroups cannot ${what}: ${error instanceof Error ? error.message : String(error)}. ${fix}`,
    { cause: error },
  );

const procsOf = async (directory: string): Promise<number[]> =>
  (await readFile(path.join(directory, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);

export const makeRunCgroup = async (root: string): Promise<RunCgroup> => {
  let directory: string;
  try {
    directory = await mkdtemp(path.join(root, 'ebpf-process-selftest-'));
  } catch (error) {
    throw cannot(`make a cgroup under ${root}`, error, 'Run it as root, on a host (or a container) whose cgroup2 mount is writable.');
  }
  const { ino } = await stat(directory, { bigint: true });
  const procsFile = path.join(directory, 'cgroup.procs');
  let removed = false;
  return {
    relative: `/${path.relative(root, directory)}`,
    id: ino,
    enter: async (pid) => {
      await writeFile(procsFile, String(pid)).catch((error: unknown) => {
        throw cannot(`move pid ${pid} into ${directory}`, error, 'Run it as root; in a container, the cgroup must be delegated to it.');
      });
    },
    remove: async () => {
      if (removed) return;
      // A killed task leaves its cgroup a moment after the kill: rmdir says EBUSY until then.
      for (let attempt = 0; ; attempt += 1) {
        try {
          await rmdir(directory);
          removed = true;
          return;
        } catch (error) {
          if (errno(error) === 'ENOENT') {
            removed = true;
            return;
          }
          if (errno(error) !== 'EBUSY' || attempt === 50) {
            throw cannot(`remove ${directory}`, error, `Move its tasks out (cat ${procsFile}) and rmdir it by hand.`);
          }
          if (attempt === 25)
            for (const pid of await procsOf(directory)) await writeFile(path.join(root, 'cgroup.procs'), String(pid)).catch(() => {});
          await sleep(20);
        }
      }
    },
  };
};
