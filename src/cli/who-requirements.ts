// SPDX-License-Identifier: GPL-3.0-or-later
// `check`'s lines for counting per cgroup and per application: whether this host can, and what to fix.
import { loadAppsGroups } from '../apps/load-groups.js';
import { readCgroupMounts, cgroupSetup } from '../cgroups/cgroup-discovery.js';
import type { Config } from '../config/defaults.js';
import type { Requirement } from './requirements.js';

const cgroupRequirement = async (config: Config): Promise<Requirement> => {
  if (config.cgroups !== 'yes') return { name: 'per cgroup', status: 'ok', detail: 'off (cgroups = no)' };
  const setup = cgroupSetup(await readCgroupMounts());
  if (setup.kind !== 'v2') {
    const [detail, fix] = setup.problem.split(' Fix: ');
    return { name: 'per cgroup', status: 'warn', detail: detail!, ...(fix ? { fix } : {}) };
  }
  return {
    name: 'per cgroup',
    status: 'ok',
    detail: `cgroup v2 at ${setup.root}; a table of ${config.cgroupTableSize} cgroups in the kernel`,
  };
};

const appsRequirement = async (config: Config): Promise<Requirement> => {
  if (config.apps !== 'yes') return { name: 'per application', status: 'ok', detail: 'off (apps = no)' };
  const groups = await loadAppsGroups();
  if (!groups.file) return { name: 'per application', status: 'warn', detail: groups.warnings.join('; ') };
  const notes = groups.warnings.length ? ` (${groups.warnings.length} notes on its patterns: the plugin prints them at start)` : '';
  return {
    name: 'per application',
    status: 'ok',
    detail: `${groups.groups.length} groups from ${groups.file}; a table of ${config.appsTableSize} command names in the kernel${notes}`,
  };
};

export const whoRequirements = async (config: Config): Promise<Requirement[]> => [
  await cgroupRequirement(config),
  await appsRequirement(config),
];
