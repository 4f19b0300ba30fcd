// SPDX-License-Identifier: GPL-3.0-or-later
// Per-comm counter totals, summed into their groups. Each comm's totals must be monotonic and a comm, once
// seen, must stay: then every group's totals are monotonic too, which incremental dimensions need.
import { groupCounterKey } from '../charts/app-charts.js';
import type { CounterId } from '../plan/counters.js';
import type { GroupOfComm } from './match-group.js';

export type CommTotals = ReadonlyMap<string, ReadonlyMap<CounterId, bigint>>;

export interface FoldedGroups {
  /** Groups at least one comm fell into. */
  readonly seen: ReadonlySet<string>;
  /** groupCounterKey(group, counter) → the group's total. */
  readonly snapshot: ReadonlyMap<string, bigint>;
}

export const foldCommTotals = (perComm: CommTotals, groupOf: GroupOfComm): FoldedGroups => {
  const seen = new Set<string>();
  const snapshot = new Map<string, bigint>();
  for (const [comm, totals] of perComm) {
    const group = groupOf(comm);
    seen.add(group);
    for (const [counter, value] of totals) {
      const key = groupCounterKey(group, counter);
      snapshot.set(key, (snapshot.get(key) ?? 0n) + value);
    }
  }
  return { seen, snapshot };
};
