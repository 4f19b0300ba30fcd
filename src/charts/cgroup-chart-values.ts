// SPDX-License-Identifier: GPL-3.0-or-later
// One update's value of a per-cgroup chart's dimension: the running total of its counters in its cgroup
// (incremental: Netdata makes rates). A cgroup the kernel has not yet seen an event of counts 0; a counter the
// plan does not keep per cgroup leaves the dimension out, a gap rather than a false zero.
import type { CounterId } from '../plan/counters.js';
import type { CgroupDimension } from './cgroup-chart-instances.js';

/** Running totals per cgroup id as the kernel map prints it (decimal), kept monotonic across backend restarts by
 *  the caller. */
export type CgroupTotals = ReadonlyMap<string, Pick<ReadonlyMap<CounterId, bigint>, 'get'>>;

/**
 * The values of one update, read dimension by dimension: called for thousands of dimensions every update (500
 * cgroups), so plain loops, and a cgroup's totals are looked up once for its charts, which come one after the
 * other (cgroup-chart-instances.ts makes each cgroup's charts together).
 */
export const cgroupDimensionValues = (totals: CgroupTotals, collected: ReadonlySet<CounterId>) => {
  let lastKey: string | undefined;
  let ofLast: Pick<ReadonlyMap<CounterId, bigint>, 'get'> | undefined;
  return (dimension: CgroupDimension): bigint | undefined => {
    const { plus } = dimension;
    for (let index = 0; index < plus.length; index++) if (!collected.has(plus[index]!)) return undefined;
    if (dimension.cgroupKey !== lastKey) {
      lastKey = dimension.cgroupKey;
      ofLast = totals.get(lastKey);
    }
    if (!ofLast) return 0n;
    // Most dimensions have one counter: its total as it is, not added to a 0n (each sum is a new bigint).
    let sum: bigint | undefined;
    for (let index = 0; index < plus.length; index++) {
      const total = ofLast.get(plus[index]!) ?? 0n;
      sum = sum === undefined ? total : sum + total;
    }
    return sum ?? 0n;
  };
};
