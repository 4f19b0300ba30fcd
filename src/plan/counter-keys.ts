// SPDX-License-Identifier: GPL-3.0-or-later
// Who a count belongs to, besides the host: the keys every counter of the plan is also kept under, inside the
// kernel, so memory follows the number of keys (cgroups, program names), not of PIDs, and an exited task
// loses nothing. Each backend renders a key in one place: src/backend/bpftrace/key-text.ts and the helper's
// task_totals() and released_task_totals() in bpf-fallback/process.bpf.c.
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
    if (!counterKeys.includes(key))
      throw new RangeError(`Unknown counter key ${JSON.stringify(key)}: expected one of ${counterKeys.join(', ')}`);
    if (!Number.isInteger(entries) || entries < keyTableEntries.min || entries > keyTableEntries.max) {
      throw new RangeError(
        `The ${key} table size must be an integer ${keyTableEntries.min}-${keyTableEntries.max}, got ${String(entries)}`,
      );
    }
  }
  return tables;
};

/** An apps_groups.conf name as the kernel matches a task's name with it (src/apps/ parses the file). */
export type AppNameKind = 'exact' | 'prefix' | 'suffix' | 'substring';
export interface AppName {
  readonly kind: AppNameKind;
  readonly text: string;
}

/** The per-key counting asked for: cgroups = yes keeps cgroup ids, apps = yes command names, each in a table of
 *  this many entries; apps' groups, when loaded, give the names a task's group is inherited by. The plugin's
 *  options, the config and the selftest's flags all have this shape. */
export interface KeySizes {
  readonly cgroups?: { readonly tableSize: number };
  readonly apps?: { readonly tableSize: number; readonly groups?: { readonly rules: readonly AppName[] } };
}

export const keyTablesFor = (sizes: KeySizes | undefined): KeyTable[] => [
  ...(sizes?.cgroups ? [{ key: 'cgroup' as const, entries: sizes.cgroups.tableSize }] : []),
  ...(sizes?.apps ? [{ key: 'comm' as const, entries: sizes.apps.tableSize }] : []),
];

/** What each key is, for people (dry-run, the script header, docs/charts.md). */
export const keyMeaning: Readonly<Record<CounterKey, string>> = {
  cgroup: 'the cgroup v2 id of the task (the inode of its directory under the cgroup2 mount)',
  comm: "the task's command name (comm, at most 15 characters)",
};

/** The map a keyed counter is kept in (`@open__cgroup[cgroup]`), and the name the helper prints it under. */
export const keyedMapName = (counter: CounterId, key: CounterKey): string => `${counter}__${key}`;

/** The map of cgroups the kernel saw made (bpftrace; the helper gives them zero totals instead): read back like a
 *  keyed counter named `seen`, whose entries say a key exists and count nothing. */
export const seenKeys = 'seen';
export const seenMapName = (key: CounterKey): string => `${seenKeys}__${key}`;

/** What a key's table could not hold (its key found it full): counted on the host only, and per table as a map named
 *  `unkeyed__<key>`, read back like a keyed counter whose entries are counters (the helper: unkeyed_totals in
 *  process.bpf.c; bpftrace reports each failed update of a full map instead). */
export const unkeyedKeys = 'unkeyed';

/** A key map name read back: the counter and the key, or undefined for a map of another kind. */
export const parseKeyedMapName = (name: string): { counter: string; key: CounterKey } | undefined => {
  const match = /^(\w+?)__(\w+)$/.exec(name);
  const key = counterKeys.find((candidate) => candidate === match?.[2]);
  return match && key ? { counter: match[1]!, key } : undefined;
};
