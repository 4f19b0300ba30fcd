// SPDX-License-Identifier: GPL-3.0-or-later
// The value of every dimension of a chart for one update: totals for incremental charts (Netdata turns them
// into rates), per-second differences of counter rates for the absolute process_status chart.
import type { CounterId } from '../plan/counters.js';
import type { Totals } from '../samples/totals.js';
import { dimensionCounters, type ChartDefinition, type DimensionDefinition } from './catalogue.js';

export type CounterSnapshot = ReadonlyMap<CounterId, bigint>;

export const snapshotTotals = <C extends string>(totals: Totals<C>, counters: Iterable<C>): ReadonlyMap<C, bigint> => {
  const snapshot = new Map<C, bigint>();
  for (const counter of counters) {
    const value = totals.get(counter);
    if (value !== undefined) snapshot.set(counter, value);
  }
  return snapshot;
};

type Snapshot<C extends string> = ReadonlyMap<C, bigint>;

const sum = <C extends string>(counters: readonly C[], snapshot: Snapshot<C>): bigint =>
  counters.reduce((total, counter) => total + (snapshot.get(counter) ?? 0n), 0n);

const hasAll = <C extends string>(dimension: DimensionDefinition<C>, snapshot: Snapshot<C>): boolean =>
  dimensionCounters(dimension).every((counter) => snapshot.has(counter));

const ratePerSecond = <C extends string>(
  dimension: DimensionDefinition<C>,
  now: Snapshot<C>,
  before: Snapshot<C>,
  seconds: number,
): bigint => {
  const delta =
    sum(dimension.plus, now) - sum(dimension.plus, before) - (sum(dimension.minus ?? [], now) - sum(dimension.minus ?? [], before));
  return BigInt(Math.round(Number(delta) / seconds));
};

// Growth of plus per unit of growth of per; none while per did not grow (no events: no cost per event).
const ratio = <C extends string>(dimension: DimensionDefinition<C>, now: Snapshot<C>, before: Snapshot<C>): bigint | undefined => {
  const per = sum(dimension.per ?? [], now) - sum(dimension.per ?? [], before);
  return per > 0n ? BigInt(Math.round(Number(sum(dimension.plus, now) - sum(dimension.plus, before)) / Number(per))) : undefined;
};

/** Dimensions whose counters are not collected are left out (Netdata shows a gap, not a false zero). */
export const chartValues = <C extends string>(
  chart: Pick<ChartDefinition<C>, 'algorithm' | 'dimensions'>,
  now: Snapshot<C>,
  before: Snapshot<C> | undefined,
  seconds: number,
): Map<string, bigint> => {
  const values = new Map<string, bigint>();
  for (const dimension of chart.dimensions) {
    if (!hasAll(dimension, now)) continue;
    if (chart.algorithm === 'incremental') values.set(dimension.id, sum(dimension.plus, now));
    else if (!before || !hasAll(dimension, before)) continue;
    else if (dimension.per) {
      const value = ratio(dimension, now, before);
      if (value !== undefined) values.set(dimension.id, value);
    } else if (seconds > 0) values.set(dimension.id, ratePerSecond(dimension, now, before, seconds));
  }
  return values;
};
