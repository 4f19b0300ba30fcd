// SPDX-License-Identifier: GPL-3.0-or-later
// One update's values of a per-cgroup chart: each dimension is the running total of its counters in its
// cgroup (incremental: Netdata makes rates). A cgroup the kernel has not yet seen an event of counts 0; a
// counter the plan does not collect leaves the dimension out, a gap rather than a false zero.
import type { CounterId } from '../plan/counters.js';
import type { CgroupChartInstance } from './cgroup-chart-instances.js';

/** Running totals per cgroup id (the kernel map's key), kept monotonic across backend restarts by the caller. */
export type CgroupTotals = ReadonlyMap<bigint, ReadonlyMap<CounterId, bigint>>;

export const cgroupChartValues = (
  chart: CgroupChartInstance, totals: CgroupTotals, collected: ReadonlySet<CounterId>,
): Map<string, bigint> => {
  const values = new Map<string, bigint>();
  for (const dimension of chart.dimensions) {
    if (!dimension.plus.every((counter) => collected.has(counter))) continue;
    const ofCgroup = totals.get(dimension.cgroupId);
    values.set(dimension.id, dimension.plus.reduce((sum, counter) => sum + (ofCgroup?.get(counter) ?? 0n), 0n));
  }
  return values;
};
