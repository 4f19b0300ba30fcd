// SPDX-License-Identifier: GPL-3.0-or-later
// planProbes: pure function from host facts and the request to the plan.
import { cgroupEvents, probeCatalogue } from './catalogue.js';
import { checkKeyTables, keyTablesFor, type KeySizes } from './counter-keys.js';
import { chooseKeyStore } from './key-store.js';
import { chooseAppInheritance } from './app-inheritance.js';
import type { ProbeDefinition } from './catalogue-types.js';
import { resolveFamily } from './choose-attach.js';
import { autoOrder } from './release-hook.js';
import type { CounterId, Mode } from './counters.js';
import type { Family, TracingChoice } from './families.js';
import type { Backend, Plan, PlannedProbe, PlanRequest, Rejection } from './plan-types.js';
import { filterHooks, isFiltering, type TaskFilter } from './task-filter.js';
import type { KernelFacts } from '../kernel/facts.js';

// An explicit choice goes first, then auto's order; auto may move a lossy tracepoint last (release-hook.ts).
const familyOrder = (probe: ProbeDefinition, facts: KernelFacts, request: PlanRequest): { order: Family[]; tracepointLast?: Rejection } =>
  request.tracing === 'auto'
    ? autoOrder(probe, request.backend, facts)
    : { order: [request.tracing, ...probe.order.filter((family) => family !== request.tracing)] };

const updatesFor = (probe: ProbeDefinition, mode: Mode) =>
  mode === 'return' && probe.return ? { side: 'exit' as const, updates: probe.return } : { side: 'entry' as const, updates: probe.entry };

const planProbe = (probe: ProbeDefinition, facts: KernelFacts, request: PlanRequest): PlannedProbe => {
  const { side, updates } = updatesFor(probe, request.mode);
  const rejected: Rejection[] = [];
  let chosen: PlannedProbe['chosen'] = null;
  const { order, tracepointLast } = familyOrder(probe, facts, request);
  for (const family of order) {
    const resolution = resolveFamily(probe, family, side, facts, request.backend, request.refused ?? [], Boolean(request.keys?.length));
    if (resolution.ok) {
      chosen = resolution.value;
      break;
    }
    rejected.push({ family, reason: resolution.reason });
  }
  if (tracepointLast && chosen && chosen.family !== 'tracepoint') rejected.push(tracepointLast);
  const counters = [...new Set(updates.map((update) => update.counter))] as CounterId[];
  return { probe: probe.id, summary: probe.summary, counters, updates, chosen, rejected };
};

export const planProbes = (facts: KernelFacts, request: PlanRequest): Plan => ({
  mode: request.mode,
  tracing: request.tracing,
  backend: request.backend,
  kernel: facts.release,
  probes: probeCatalogue
    .filter((probe) => (request.mode === 'return' || !probe.returnOnly) && !request.dropped?.includes(probe.family))
    .map((probe) => planProbe(probe, facts, request)),
  ...(request.filter ? { filter: request.filter } : {}),
  ...(isFiltering(request.filter) ? { filterHooks: filterHooks(request.filter, request.backend) } : {}),
  ...(request.keys?.length ? { keys: checkKeyTables(request.keys), keyStore: chooseKeyStore(facts, request.backend) } : {}),
  ...(request.keys?.some(({ key }) => key === 'comm') && request.appNames?.length
    ? { appInheritance: chooseAppInheritance(request.backend, request.appNames) }
    : {}),
  ...(request.keys?.some(({ key }) => key === 'cgroup') && Object.values(cgroupEvents).every((event) => facts.tracepoints.includes(event))
    ? { cgroupEvents }
    : {}),
});

/** What a command plans from: the config's mode and tracing, and the task filter of `--pid`/`--comm`. */
export interface PlanSettings {
  readonly config: { readonly mode: Mode; readonly tracing: TracingChoice };
  readonly filter: TaskFilter | undefined;
}

/** The one request every command (plugin, dry-run, script, check, selftest) makes of planProbes: its settings, the
 *  backend, and the keys counted per cgroup and per command name (`cgroups = yes`, `apps = yes`). */
export const planRequest = (settings: PlanSettings, backend: Backend, keys: KeySizes | undefined): PlanRequest => {
  const tables = keyTablesFor(keys);
  return {
    mode: settings.config.mode,
    tracing: settings.config.tracing,
    backend,
    ...(settings.filter ? { filter: settings.filter } : {}),
    ...(tables.length ? { keys: tables } : {}),
    ...(keys?.apps?.groups?.rules.length ? { appNames: keys.apps.groups.rules.map(({ kind, text }) => ({ kind, text })) } : {}),
  };
};

/** Counters the plan collects; a counter whose probe has no attachment is missing. */
export const collectedCounters = (plan: Plan): Set<CounterId> =>
  new Set(plan.probes.filter((probe) => probe.chosen).flatMap((probe) => probe.counters));
