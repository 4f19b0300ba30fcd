// SPDX-License-Identifier: GPL-3.0-or-later
// `check`: what this host offers and needs, with the fix for each gap; exit 1 when nothing can run.
import { checkInstall } from '../install/check-install.js';
import { bpftraceOnPath } from '../kernel/bpftrace-version.js';
import { checkRequirements, type Requirement, whoRequirements } from './requirements.js';
import { collectedCounters, planProbes, planRequest } from '../plan/plan-probes.js';
import { modes } from '../plan/counters.js';
import { findMinBtf } from '../backend/helper/min-btf.js';
import { helperPath } from '../backend/helper/locate-helper.js';
import { describeChosen, resolveHost } from './resolve-host.js';
import type { CommonFlags } from './settings.js';
import { configuredKeys } from './who-options.js';

const mark = { ok: 'ok     ', warn: 'warn   ', missing: 'MISSING' } as const;

// The package's own helper gets it from `min-btf`; a copy (Netdata's, made by install) from install.
const packagedHelperFix =
  'run `ebpf-process min-btf` as the owner of the package (root for a global install; scripts/setup.sh runs it in a checkout)';
const copiedHelperFix =
  "for the copy Netdata runs, `sudo ebpf-process install` again; for the package's own helper, `ebpf-process min-btf`";

// Information only: without it the helper counts the same, with about 11 MiB more peak memory at start.
const minBtfRequirement = async (helperFile: string): Promise<Requirement> => {
  const found = await findMinBtf(helperFile);
  return found.ok
    ? {
        name: 'helper min BTF',
        status: 'ok',
        detail: `${found.value}: the helper relocates against it instead of reading the kernel's whole BTF`,
      }
    : {
        name: 'helper min BTF',
        status: 'warn',
        detail: `${found.reason}: the helper reads the kernel's whole BTF at start (about 11 MiB more peak memory; counts are the same)`,
        fix:
          `${helperFile === helperPath() ? packagedHelperFix : copiedHelperFix} ` +
          `(needs bpftool; again after a kernel upgrade or a helper rebuild)`,
      };
};

const printRequirement = (requirement: Requirement): void => {
  console.log(`${mark[requirement.status]} ${requirement.name.padEnd(18)} ${requirement.detail}`);
  if (requirement.fix && requirement.status !== 'ok') console.log(`${''.padEnd(27)}fix: ${requirement.fix}`);
};

export interface CheckFlags extends CommonFlags {
  readonly json?: boolean;
}

export const runCheck = async (flags: CheckFlags): Promise<void> => {
  const host = await resolveHost(flags);
  const { facts, helper } = host;
  const { settings } = host;
  const { config, warnings } = settings;
  if (flags.json) {
    console.log(JSON.stringify(facts, null, 2));
    return;
  }
  const requirements = checkRequirements(facts, { bpftraceProblem: host.bpftraceProblem, bpftraceOnPath: bpftraceOnPath() });
  requirements.forEach(printRequirement);
  for (const entry of host.availability) {
    printRequirement({ name: `backend ${entry.backend}`, status: entry.available ? 'ok' : 'warn', detail: entry.detail });
  }
  if (helper.ok) printRequirement(await minBtfRequirement(helper.value));
  (await whoRequirements(config)).forEach(printRequirement);
  warnings.forEach((warning) => console.log(`warn    config             ${warning}`));
  // Not installed into Netdata is fine for running by hand: those items warn, they do not block.
  for (const installItem of await checkInstall()) {
    printRequirement({
      name: installItem.id,
      status: installItem.ok ? 'ok' : 'warn',
      detail: installItem.summary,
      ...(installItem.fix ? { fix: installItem.fix } : {}),
    });
  }

  const [chosen] = host.usable;
  console.log(chosen ? `\nbackend: ${chosen.backend} (${describeChosen(host)})` : '\nbackend: none can run here');
  let collectable = false;
  for (const mode of modes) {
    // As the plugin would plan it: with the config's keys and the settings' filter, in each mode.
    const request = planRequest({ ...settings, config: { ...config, mode } }, chosen?.backend ?? 'bpftrace', configuredKeys(config));
    const plan = planProbes(facts, request);
    const missing = plan.probes.filter((probe) => !probe.chosen).map((probe) => probe.probe);
    collectable ||= collectedCounters(plan).size > 0;
    console.log(
      `${mode} mode: ${collectedCounters(plan).size} counters ` +
        `collectable${missing.length ? `; no attach point for ${missing.join(', ')}` : ''}`,
    );
  }
  const blocked = requirements.some((requirement) => requirement.status === 'missing') || !chosen || !collectable;
  console.log(
    blocked
      ? '\nResult: the plugin cannot run here; fix the MISSING items above.'
      : '\nResult: the plugin can run here. `ebpf-process dry-run` shows what it will attach.',
  );
  if (blocked) process.exitCode = 1;
};
