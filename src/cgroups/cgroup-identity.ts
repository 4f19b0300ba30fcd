// SPDX-License-Identifier: GPL-3.0-or-later
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
