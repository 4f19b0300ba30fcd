// SPDX-License-Identifier: GPL-3.0-or-later
// Every cgroup of the v2 hierarchy: a directory under its mount. Its id is the directory's inode number, the
// value bpf_get_current_cgroup_id() and bpftrace's `cgroup` return for tasks inside it (kernfs ids, 64 bit).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface DiscoveredCgroup {
  readonly id: bigint;
  /** Path below the mount, as Netdata's cgroups.plugin writes it: "/" for the root, "/system.slice/x.service". */
  readonly path: string;
}

// Cgroups come and go while we walk: one that vanished is simply not there this time.
const vanished = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

// A stat in numbers: a bigint stat makes a dozen bigints, for every cgroup of every walk. Ids fit in 2^53 (a
// kernfs id is a 32-bit number under a count of its wrap-arounds); one that does not is read again exactly.
const inodeOf = async (directory: string): Promise<bigint | undefined> => {
  try {
    const { ino } = await stat(directory);
    return Number.isSafeInteger(ino) ? BigInt(ino) : (await stat(directory, { bigint: true })).ino;
  } catch (error) {
    if (vanished(error)) return undefined;
    throw error;
  }
};

// One readdir per cgroup, not an opendir iterated entry by entry (a promise per entry): the walk runs every few
// updates over every cgroup, hundreds of them.
const childDirectories = async (directory: string): Promise<string[]> => {
  try {
    return (await readdir(directory, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if (vanished(error)) return [];
    throw error;
  }
};

export const walkCgroups = async (root: string): Promise<DiscoveredCgroup[]> => {
  const found: DiscoveredCgroup[] = [];
  const pending = ['/'];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    const directory = path.join(root, relative);
    const id = await inodeOf(directory);
    if (id === undefined) continue;
    found.push({ id, path: relative });
    for (const name of await childDirectories(directory)) pending.push(path.posix.join(relative, name));
  }
  return found;
};
