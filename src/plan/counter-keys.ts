// SPDX-License-Identifier: GPL-3.0-or-later
// Who a count belongs to, besides the host: the keys every counter of the plan is also kept under, inside the
// kernel, so memory follows the number of keys (cgroups, program names), not of PIDs, and an exited task
// loses nothing. Each backend renders a key in one place: src/backend/bpftrace/key-text.ts and the helper's
// task_totals() and released_task_totals() in bpf-fallback/process.bpf.c.
import type { Expr } from './probe-expr.js';
import type { Backend, Plan, ResolvedGroup } from './plan-types.js';
import type { CounterId } from './counters.js';
import { keyTableEntries } from '../limits.js';

export const counterKeys = ['cgroup', 'comm'] as const;
export type CounterKey = (typeof counterKeys)[number];

/** A key the plan keeps, and how many distinct values its kernel table holds: a value that finds it full is
 *  counted on the host only. */
export interface KeyTable {
  readonly key: CounterKey;
  readonly entries: number;
}

export const checkKeyTables = (tables: readonly KeyTable[]): readonly KeyTable[] => {
  for (const { key, entries } of tables) {
    if (!counterKeys.includes(key)) throw new RangeError(`Unknown counter key ${JSON.stringify(key)}: expected one of ${counterKeys.join(', ')}`);
    if (!Number.isInteger(entries) || entries < keyTableEntries.min || entries > keyTableEntries.max) {
      throw new RangeError(`The ${key} table size must be an integer ${keyTableEntries.min}-${keyTableEntries.max}, got ${String(entries)}`);
    }
  }
  return tables;
};

/** The per-key counting asked for: cgroups = yes keeps cgroup ids, apps = yes command names, each in a table of
 *  this many entries. The plugin's options, the config and the selftest's flags all have this shape. */
export interface KeySizes {
  readonly cgroups?: { readonly tableSize: number };
  readonly apps?: { readonly tableSize: number };
}

export const keyTablesFor = (sizes: KeySizes | undefined): KeyTable[] => [
  ...(sizes?.cgroups ? [{ key: 'cgroup' as const, entries: sizes.cgroups.tableSize }] : []),
  ...(sizes?.apps ? [{ key: 'comm' as const, entries: sizes.apps.tableSize }] : []),
];

/** What each key is, for people (dry-run, the script header, docs/charts.md). */
export const keyMeaning: Readonly<Record<CounterKey, string>> = {
  cgroup: 'the cgroup v2 id of the task (the inode of its directory under the cgroup2 mount)',
  comm: 'the task\'s command name (comm, at most 15 characters)',
};

/** The map a keyed counter is kept in (`@open__cgroup[cgroup]`), and the name the helper prints it under. */
export const keyedMapName = (counter: CounterId, key: CounterKey): string => `${counter}__${key}`;

/** The map of cgroups the kernel saw made (bpftrace; the helper gives them zero totals instead): read back like a
 *  keyed counter named `seen`, whose entries say a key exists and count nothing. */
export const seenKeys = 'seen';
export const seenMapName = (key: CounterKey): string => `${seenKeys}__${key}`;

/** A key map name read back: the counter and the key, or undefined for a map of another kind. */
export const parseKeyedMapName = (name: string): { counter: string; key: CounterKey } | undefined => {
  const match = /^(\w+?)__(\w+)$/.exec(name);
  const key = counterKeys.find((candidate) => candidate === match?.[2]);
  return match && key ? { counter: match[1]!, key } : undefined;
};

/** The task a group counts on behalf of when it is not the current one (release_task's argument), so its keys
 *  are read from it; undefined when the event carries only the task's fields (sched_process_free). */
export const subjectTask = (group: Pick<ResolvedGroup, 'vars'>): Expr | undefined => {
  const subject = group.vars['subject'];
  return subject?.kind === 'member' ? subject.of : undefined;
};

/** Whether a group's events carry the key in this backend. sched_process_free's fields give the freed task's pid
 *  and comm, not its cgroup: bpftrace remembers the keys at the task's exit (keysFrom), as it cannot read the comm
 *  either (a `__data_loc char[]` on recent kernels, 6.18 here, read as an address by 0.17 and 0.27 and as "" by
 *  0.23's str(), while str() refuses the char[16] of older kernels). The helper hooks it raw and reads the task. */
export const groupCarriesKey = (group: Pick<ResolvedGroup, 'vars' | 'keysFrom'>, backend: Backend): boolean =>
  !group.vars['subject'] || subjectTask(group) !== undefined || group.keysFrom !== undefined || backend === 'helper';

/** The counters the plan keeps per key: those whose every attach group carries the keys (bpftrace's release
 *  at sched_process_free without keysFrom does not). The others are a gap on the per-key charts, not a false zero. */
export const keyedCounters = (plan: Plan): Set<CounterId> => new Set(plan.probes
  .filter((probe) => probe.chosen?.groups.every((group) => groupCarriesKey(group, plan.backend)))
  .flatMap((probe) => probe.counters));
