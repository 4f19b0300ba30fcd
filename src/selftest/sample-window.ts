// SPDX-License-Identifier: GPL-3.0-or-later
// What the backend counted between two samples of running totals: on the host, and per key value.
import type { CounterKey } from '../plan/counter-keys.js';
import type { CounterId } from '../plan/counters.js';
import type { KeyedSample, Sample } from '../samples/sample-assembler.js';

const noTotals: Sample = new Map();

export const increase = (from: Sample, to: Sample): Sample =>
  new Map([...to].map(([counter, total]) => [counter, total - (from.get(counter) ?? 0n)]));

/** A run's running totals per key value, complete: the printed sample over the last complete one. The helper prints a
 *  key's counter only when its total changed since its last print (bpf-fallback/keyed-report.c), so a window's end
 *  sample alone may lack totals its start had. */
export const carryKeyed = (before: KeyedSample, printed: KeyedSample): KeyedSample => {
  const carried = new Map<CounterKey, Map<string, Sample>>();
  for (const key of new Set([...before.keys(), ...printed.keys()])) {
    const values = new Map(before.get(key) ?? []);
    for (const [value, totals] of printed.get(key) ?? []) values.set(value, new Map([...(values.get(value) ?? []), ...totals]));
    carried.set(key, values);
  }
  return carried;
};

/** Each value of the key (a cgroup id, a comm) with what it counted in the window; a value first seen in the
 *  window counted all of its totals there. */
export const keyedIncrease = (from: KeyedSample, to: KeyedSample, key: CounterKey): Map<string, Sample> =>
  new Map(
    [...(to.get(key) ?? new Map<string, Sample>())].map(([value, totals]) => [
      value,
      increase(from.get(key)?.get(value) ?? noTotals, totals),
    ]),
  );

/** The values' counts added up, counter by counter. */
export const sumOverValues = (values: Iterable<Sample>): Sample => {
  const sum = new Map<CounterId, bigint>();
  for (const totals of values) for (const [counter, amount] of totals) sum.set(counter, (sum.get(counter) ?? 0n) + amount);
  return sum;
};
