// SPDX-License-Identifier: GPL-3.0-or-later
// Names for the cgroups found under the v2 mount: Netdata's own, from its shared list, where the list has the
// cgroup; otherwise derived from the path (a cgroup newer than the list's last refresh, or no list at all).
import type { CgroupIdentity } from './cgroup-identity.js';
import type { CgroupMounts } from './cgroup-mounts.js';
import { identityFromPath } from './identity-from-path.js';
import { identityFromShm, recordCgroupPath } from './identity-from-shm.js';
import type { ShmCgroupList } from './read-shm-cgroup-list.js';
import type { DiscoveredCgroup } from './walk-cgroups.js';

export interface NamedCgroup extends DiscoveredCgroup, CgroupIdentity {}

const identitiesByPath = (list: ShmCgroupList, mounts: CgroupMounts): Map<string, CgroupIdentity> => {
  const byPath = new Map<string, CgroupIdentity>();
  for (const record of list.records) {
    const cgroupPath = recordCgroupPath(record, mounts);
    if (cgroupPath !== undefined) byPath.set(cgroupPath, identityFromShm(record, list.systemdEnabled));
  }
  return byPath;
};

/** fromPath: identityFromPath, or a caller's memo of it (cgroup-discovery.ts). */
export const nameCgroups = (
  discovered: readonly DiscoveredCgroup[],
  mounts: CgroupMounts,
  list?: ShmCgroupList,
  fromPath: (path: string) => CgroupIdentity = identityFromPath,
): NamedCgroup[] => {
  const fromNetdata = list ? identitiesByPath(list, mounts) : new Map<string, CgroupIdentity>();
  return discovered.map((cgroup) => ({ ...cgroup, ...(fromNetdata.get(cgroup.path) ?? fromPath(cgroup.path)) }));
};
