// SPDX-License-Identifier: GPL-3.0-or-later
// A cgroup as Netdata's cgroups.plugin itself named it in its shared list: the record's name without its
// `cgroup_`/`systemd_` prefix, its service flag, and whether Netdata charts it. The record's cgroup.procs path
// says which cgroup it is, relative to whichever cgroup mount (v2, or a v1 controller) Netdata read.
import path from 'node:path';
import type { CgroupMounts } from './cgroup-mounts.js';
import { kindPrefix, type CgroupIdentity } from './cgroup-identity.js';
import { netdataChartId } from './netdata-chart-id.js';
import { systemdServiceOption, type ShmCgroupRecord } from './shm-cgroup-layout.js';

const procsFile = '/cgroup.procs';

/** The cgroup path ("/", "/system.slice/x.service") of a record, or undefined when it lies under no known mount. */
export const recordCgroupPath = (record: ShmCgroupRecord, mounts: CgroupMounts): string | undefined => {
  if (!record.procsPath.endsWith(procsFile)) return undefined;
  const directory = path.posix.normalize(record.procsPath.slice(0, -procsFile.length));
  const mount = [mounts.v2, ...mounts.v1]
    .filter((candidate): candidate is string => candidate !== undefined)
    .filter((candidate) => directory === candidate || directory.startsWith(`${candidate}/`))
    .sort((a, b) => b.length - a.length)[0];
  return mount === undefined ? undefined : directory.slice(mount.length) || '/';
};

export const identityFromShm = (record: ShmCgroupRecord, systemdEnabled: boolean): CgroupIdentity => {
  const kind = record.options & systemdServiceOption ? 'service' : 'cgroup';
  const prefix = kindPrefix[kind];
  const name = record.name.startsWith(prefix) ? record.name.slice(prefix.length) : record.name;
  // Re-applying Netdata's id rules changes nothing in a name Netdata made, and makes any other name safe.
  return { kind, name: netdataChartId(name), charted: record.enabled && (kind === 'cgroup' || systemdEnabled) };
};
