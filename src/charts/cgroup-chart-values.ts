// SPDX-License-Identifier: GPL-3.0-or-later
// One update's value of a per-cgroup chart's dimension: the running total of its counters in its cgroup
// (incremental: Netdata makes rates). A cgroup the kernel has not yet seen an event of counts 0; a counter the
// plan does not keep per cgroup leaves the dimension out, a gap rather than a false zero.
import type { CounterId } from '../plan/counters.js';
import type { CgroupDimension } from './cgroup-chart-instances.js';

/** Running totals per cgroup id as the kernel map prints it (decimal), kept monotonic across backend restarts by
 *  the caller. */
export type CgroupTotals = ReadonlyMap<string, Pick<ReadonlyMap<CounterId, bigint>, 'get'>>;

// Called for thousands of dimensions every update (500 cgroups): plain loops, no closures.
export const cgroupDimensionValue = (
  dimension: CgroupDimension, totals: CgroupTotals, collected: ReadonlySet<CounterId>,
): bigint | undefined => {
  for (const counter of dimension.plus) if (!collected.has(counter)) return undefined;
  const ofCgroup = totals.get(dimension.cgroupKey);
  let sum = 0n;
  if (ofCgroup) for (const counter of dimension.plus) sum += ofCgroup.get(counter) ?? 0n;
  return sum;
};
