// SPDX-License-Identifier: GPL-3.0-or-later
// Whether per-cgroup counting can work here. The kernel's cgroup id (bpf_get_current_cgroup_id(), bpftrace's
// `cgroup`) is the task's cgroup in the v2 hierarchy, so only a mounted cgroup2 lets us name what we count.
import type { CgroupMounts } from './cgroup-mounts.js';

export type CgroupSetup =
  | { readonly kind: 'v2'; readonly root: string }
  | { readonly kind: 'v1-only'; readonly problem: string }
  | { readonly kind: 'none'; readonly problem: string };

export const cgroupSetup = (mounts: CgroupMounts): CgroupSetup => {
  // On hybrid hosts (v1 controllers beside cgroup2 at /sys/fs/cgroup/unified) the ids are still v2 ids.
  if (mounts.v2 !== undefined) return { kind: 'v2', root: mounts.v2 };
  if (mounts.v1.length > 0) {
    return {
      kind: 'v1-only',
      problem:
        `cgroups: only cgroup v1 is mounted (${mounts.v1.join(', ')}); the kernel's cgroup ids belong to cgroup v2, ` +
        'so per-cgroup charts are off and the host charts continue. Fix: boot with systemd.unified_cgroup_hierarchy=1 ' +
        '(or mount cgroup2 somewhere: mount -t cgroup2 none /sys/fs/cgroup/unified), or set `cgroups = no`.',
    };
  }
  return {
    kind: 'none',
    problem:
      'cgroups: no cgroup filesystem is mounted (none in /proc/self/mountinfo), so per-cgroup charts are off and the ' +
      'host charts continue. Fix: mount cgroup2 (mount -t cgroup2 none /sys/fs/cgroup); in a container, share the ' +
      "host's /sys/fs/cgroup; or set `cgroups = no`.",
  };
};
