// SPDX-License-Identifier: GPL-3.0-or-later
// Per-comm counter totals, summed into their groups. Each comm's totals must be monotonic and a comm, once
// seen, must stay: then every group's totals are monotonic too, which incremental dimensions need.
import { groupCounterKey } from '../charts/app-charts.js';
import { counterIds, type CounterId } from '../plan/counters.js';
import type { GroupOfComm } from './group-rules.js';

/** Each comm's running totals, read where they are kept (KeyedTotals), not copied each update. */
export type CommTotals = ReadonlyMap<string, Pick<ReadonlyMap<CounterId, bigint>, 'get'>>;

export interface FoldedGroups {
  /** Groups at least one comm fell into. */
  readonly seen: ReadonlySet<string>;
  /** groupCounterKey(group, counter) → the group's total. */
  readonly snapshot: ReadonlyMap<string, bigint>;
}

/** `collected`: the counters the running plan counts. A group that has not had one of them yet shows 0 for
 *  it; a counter not collected stays absent, so its charts show a gap as the host's do, not a false 0. */
// Summed per group first: a thousand comms fall into a few groups, and only those get keys made.
export const foldCommTotals = (perComm: CommTotals, groupOf: GroupOfComm, collected: ReadonlySet<CounterId>): FoldedGroups => {
  const byGroup = new Map<string, Map<CounterId, bigint>>();
  for (const [comm, totals] of perComm) {
    const group = groupOf(comm);
    const sums = byGroup.get(group) ?? new Map<CounterId, bigint>();
    byGroup.set(group, sums);
    for (const counter of counterIds) {
      const value = totals.get(counter);
      if (value !== undefined) sums.set(counter, (sums.get(counter) ?? 0n) + value);
    }
  }
  const snapshot = new Map<string, bigint>();
  for (const [group, sums] of byGroup) {
    for (const counter of collected) if (!sums.has(counter)) sums.set(counter, 0n);
    for (const [counter, value] of sums) snapshot.set(groupCounterKey(group, counter), value);
  }
  return { seen: new Set(byGroup.keys()), snapshot };
};
