// SPDX-License-Identifier: GPL-3.0-or-later
// A cgroup's name derived from its path alone, as cgroups.plugin derives it with its default settings
// (cgroup-discovery.c): `/system.slice/nginx.service` is the service `nginx`; a path its naming script is run
// for gets the script's answer (container-name.ts); any other path is its own id, '/' shown as '_'.
import type { CgroupIdentity } from './cgroup-identity.js';
import { containerName } from './container-name.js';
import { enabledCgroupPatterns, renamedCgroupPatterns, systemdServicePatterns } from './netdata-cgroup-patterns.js';
import { fixChartId, netdataChartId } from './netdata-chart-id.js';
import { simplePatternMatch } from './simple-pattern.js';

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
