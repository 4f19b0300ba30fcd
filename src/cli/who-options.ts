// SPDX-License-Identifier: GPL-3.0-or-later
// What `cgroups = yes` and `apps = yes` need before the plugin starts: the cgroup v2 hierarchy to name cgroups
// from, apps_groups.conf's groups. A host without them keeps its host charts, and stderr says why.
import { loadAppsGroups } from '../apps/load-groups.js';
import { CgroupDiscovery } from '../cgroups/cgroup-discovery.js';
import type { Config } from '../config/defaults.js';
import type { KeySizes } from '../plan/counter-keys.js';
import type { WhoOptions } from '../plugin/who-publisher.js';

/** The per-key counting the config asks for, or `wanted` asks for at the config's table sizes (selftest's flags).
 *  The script printed for people keeps it whatever this host offers; the plugin keeps what whoOptions finds the
 *  host can. */
export const configuredKeys = (config: Config, wanted = { cgroups: config.cgroups === 'yes', apps: config.apps === 'yes' }): KeySizes => ({
  ...(wanted.cgroups ? { cgroups: { tableSize: config.cgroupTableSize } } : {}),
  ...(wanted.apps ? { apps: { tableSize: config.appsTableSize } } : {}),
});

export const whoOptions = async (config: Config, log: (message: string) => void): Promise<WhoOptions | undefined> => {
  const { cgroups, apps } = configuredKeys(config);
  const discovery = cgroups ? await CgroupDiscovery.open(log) : undefined;
  const groups = apps ? await loadAppsGroups() : undefined;
  groups?.warnings.forEach(log);
  const who: WhoOptions = {
    ...(cgroups && discovery ? { cgroups: { ...cgroups, discovery } } : {}),
    ...(apps && groups ? { apps: { ...apps, groups } } : {}),
  };
  return who.cgroups || who.apps ? who : undefined;
};
