// SPDX-License-Identifier: GPL-3.0-or-later
// What `cgroups = yes` and `apps = yes` need before the plugin starts: the cgroup v2 hierarchy to name cgroups
// from, apps_groups.conf's groups. A host without them keeps its host charts, and stderr says why.
import { loadAppsGroups } from '../apps/load-groups.js';
import { CgroupDiscovery } from '../cgroups/cgroup-discovery.js';
import type { Config } from '../config/defaults.js';
import type { KeyTable } from '../plan/counter-keys.js';
import type { WhoOptions } from '../plugin/who-publisher.js';

/** The key tables the config asks for (the script printed for people keeps them whatever this host offers). */
export const configuredKeyTables = (config: Config): KeyTable[] => [
  ...(config.cgroups === 'yes' ? [{ key: 'cgroup' as const, entries: config.cgroupTableSize }] : []),
  ...(config.apps === 'yes' ? [{ key: 'comm' as const, entries: config.appsTableSize }] : []),
];

export const whoOptions = async (config: Config, log: (message: string) => void): Promise<WhoOptions | undefined> => {
  const discovery = config.cgroups === 'yes' ? await CgroupDiscovery.open(log) : undefined;
  const groups = config.apps === 'yes' ? await loadAppsGroups() : undefined;
  groups?.warnings.forEach(log);
  const who: WhoOptions = {
    ...(discovery ? { cgroups: { tableSize: config.cgroupTableSize, discovery } } : {}),
    ...(groups ? { apps: { tableSize: config.appsTableSize, groups } } : {}),
  };
  return who.cgroups || who.apps ? who : undefined;
};
