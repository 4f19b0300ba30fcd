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

/** `collected`: the counters the running plan counts. A group that has not had one of them yet shows 0 for
 *  it; a counter not collected stays absent, so its charts show a gap as the host's do, not a false 0. */
export const foldCommTotals = (perComm: CommTotals, groupOf: GroupOfComm, collected: ReadonlySet<CounterId>): FoldedGroups => {
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
  for (const group of seen) {
    for (const counter of collected) {
      const key = groupCounterKey(group, counter);
      if (!snapshot.has(key)) snapshot.set(key, 0n);
    }
  }
  return { seen, snapshot };
};
