// SPDX-License-Identifier: GPL-3.0-or-later
// Where the cgroup filesystems are mounted, read from /proc/self/mountinfo: the v2 (unified) mount, if any, and
// the v1 controller mounts. Both are needed: ids come from v2, while Netdata's shared list may name v1 paths.
import { readFile } from 'node:fs/promises';

export interface CgroupMounts {
  /** Mount point of the cgroup2 filesystem (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts). */
  readonly v2: string | undefined;
  /** Mount points of cgroup v1 hierarchies (one per controller or named hierarchy). */
  readonly v1: readonly string[];
}

// mountinfo escapes space, tab, newline and backslash in paths as octal.
const unescapeMountPath = (path: string): string =>
  path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** Fields: id parent major:minor root mountpoint options [optional...] - fstype source superoptions. */
export const parseCgroupMounts = (mountinfo: string): CgroupMounts => {
  let v2: string | undefined;
  const v1: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 5) continue;
    const fsType = fields[separator + 1];
    const mountPoint = unescapeMountPath(fields[4]!);
    // The first cgroup2 mount is the host's; later ones are bind mounts (chroots, containers) of the same tree.
    if (fsType === 'cgroup2' && v2 === undefined) v2 = mountPoint;
    else if (fsType === 'cgroup') v1.push(mountPoint);
  }
  return { v2, v1 };
};

export const readCgroupMounts = async (mountinfoFile = '/proc/self/mountinfo'): Promise<CgroupMounts> =>
  parseCgroupMounts(await readFile(mountinfoFile, 'utf8'));
