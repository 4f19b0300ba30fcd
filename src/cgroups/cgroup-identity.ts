// SPDX-License-Identifier: GPL-3.0-or-later
// A cgroup's identity: what kind of charts show it and under which name, from its path or from Netdata's list.
import {
  containerName,
  enabledCgroupPatterns,
  renamedCgroupPatterns,
  systemdServicePatterns,
  fixChartId,
  netdataChartId,
  simplePatternMatch,
} from './netdata-names.js';
import { systemdServiceOption, type ShmCgroupRecord } from './netdata-shm-list.js';

// How a cgroup is shown: as one dimension of the services.* charts (a systemd service) or as its own charts
// of type `cgroup_<name>`. Both name shapes are the ones Netdata's cgroups.plugin gives the same cgroup.
export type CgroupKind = 'service' | 'cgroup';

export interface CgroupIdentity {
  readonly kind: CgroupKind;
  /** Chart id part, only [a-z0-9_-]: the dimension of a service, the `<name>` of `cgroup_<name>`. */
  readonly name: string;
  /** Whether Netdata would chart it (its `enabled`); slices, mounts, init.scope and such are not charted. */
  readonly charted: boolean;
}

/** Netdata's prefixes of the names in its shared list (cgroup_chart_id_prefix, services_chart_id_prefix). */
export const kindPrefix: Readonly<Record<CgroupKind, string>> = { cgroup: 'cgroup_', service: 'systemd_' };

// A cgroup's name derived from its path alone, as cgroups.plugin derives it with its default settings
// (cgroup-discovery.c): `/system.slice/nginx.service` is the service `nginx`; a path its naming script is run
// for gets the script's answer (netdata-names.ts); any other path is its own id, '/' shown as '_'.

// The last path component without its extension (convert_cgroup_to_systemd_service); a leading dot stays.
const serviceName = (path: string): string => {
  const unit = path.slice(path.lastIndexOf('/') + 1);
  const dot = unit.lastIndexOf('.');
  return dot > 0 ? unit.slice(0, dot) : unit;
};

// cgroup_chart_id_strdupz drops the leading '/' of every path but the root.
const withoutLeadingSlash = (path: string): string => (path.length > 1 && path.startsWith('/') ? path.slice(1) : path);

export const identityFromPath = (path: string): CgroupIdentity => {
  if (simplePatternMatch(systemdServicePatterns, path)) return { kind: 'service', name: netdataChartId(serviceName(path)), charted: true };
  const id = withoutLeadingSlash(path);
  const name = simplePatternMatch(renamedCgroupPatterns, path) ? containerName(fixChartId(id)) : id;
  return { kind: 'cgroup', name: netdataChartId(name), charted: simplePatternMatch(enabledCgroupPatterns, path) === true };
};

// A cgroup as Netdata's cgroups.plugin itself named it in its shared list: the record's name without its
// `cgroup_`/`systemd_` prefix, its service flag, and whether Netdata charts it. The record's cgroup.procs path
// says which cgroup it is (cgroup-discovery.ts).
export const identityFromShm = (record: ShmCgroupRecord, systemdEnabled: boolean): CgroupIdentity => {
  const kind = record.options & systemdServiceOption ? 'service' : 'cgroup';
  const prefix = kindPrefix[kind];
  const name = record.name.startsWith(prefix) ? record.name.slice(prefix.length) : record.name;
  // Re-applying Netdata's id rules changes nothing in a name Netdata made, and makes any other name safe.
  return { kind, name: netdataChartId(name), charted: record.enabled && (kind === 'cgroup' || systemdEnabled) };
};
