// SPDX-License-Identifier: GPL-3.0-or-later
// Every cgroup of the v2 hierarchy: a directory under its mount. Its id is the directory's inode number, the
// value bpf_get_current_cgroup_id() and bpftrace's `cgroup` return for tasks inside it (kernfs ids, 64 bit).
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface DiscoveredCgroup {
  readonly id: bigint;
  /** Path below the mount, as Netdata's cgroups.plugin writes it: "/" for the root, "/system.slice/x.service". */
  readonly path: string;
}

// Cgroups come and go while we walk: one that vanished is simply not there this time.
const vanished = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

const inodeOf = async (directory: string): Promise<bigint | undefined> => {
  try {
    return (await stat(directory, { bigint: true })).ino;
  } catch (error) {
    if (vanished(error)) return undefined;
    throw error;
  }
};

const childDirectories = async (directory: string): Promise<string[]> => {
  try {
    const names: string[] = [];
    for await (const entry of await opendir(directory)) if (entry.isDirectory()) names.push(entry.name);
    return names;
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
