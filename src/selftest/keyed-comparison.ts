// SPDX-License-Identifier: GPL-3.0-or-later
// `selftest --cgroups` / `--apps`: the workload's own key values (its cgroup; its command name and that name's
// group) must each count exactly what the workload did, and every value of the key added up must equal the host's
// count of the same window: nothing counted on the host is lost to, or added by, the keyed maps.
import type { CounterKey } from '../plan/counter-keys.js';
import { groupCarriesKey } from '../plan/counter-sources.js';
import type { CounterId } from '../plan/counters.js';
import type { Plan } from '../plan/plan-types.js';
import type { Sample } from '../samples/sample-assembler.js';
import type { Expectations } from './expected.js';
import { skippedByKernel } from './recursion-misses.js';

/** What one key value of the workload's counted, under a heading such as "comm workload". */
export interface OwnColumn {
  readonly heading: string;
  readonly counts: Sample;
}

export interface KeyedComparison {
  readonly key: CounterKey;
  readonly own: readonly OwnColumn[];
  /** Every value of the key, added up. */
  readonly allValues: Sample;
  readonly host: Sample;
}

/** One counter compared per key value. `unkeptAt`: the attach points that cannot keep it per key (no verdict then). */
export interface KeyedRow {
  readonly counter: CounterId;
  readonly expected: number;
  /** What each own column counted, in the order of the table's headings. */
  readonly own: readonly bigint[];
  readonly allValues: bigint;
  readonly host: bigint;
  readonly unkeptAt?: readonly string[];
  /** ok; SKIPPED: short only by runs the kernel skipped; MISMATCH: an own value is off, or the values do not add up. */
  readonly verdict?: 'ok' | 'SKIPPED' | 'MISMATCH';
  /** Whether every value of the key adds up to the host's count. */
  readonly addsUp: boolean;
  /** Whether the own values are short only by runs the kernel skipped (then SKIPPED, unless they do not add up). */
  readonly kernelSkipped: boolean;
}

/** Counters the plan cannot keep per key, with the attach points that lack the keys (bpftrace's release at
 *  sched_process_free without keysFrom: no cgroup, no comm it can read). */
export const unkeptCounters = (plan: Plan): Map<CounterId, readonly string[]> =>
  new Map(
    plan.probes.flatMap((probe) => {
      const chosen = probe.chosen;
      return chosen?.groups.some((group) => !groupCarriesKey(group, plan.backend))
        ? probe.counters.map((counter) => [counter, chosen.attachPoints] as const)
        : [];
    }),
  );

const countOf = (sample: Sample, counter: CounterId): bigint => sample.get(counter) ?? 0n;

export const judgeKeyed = (
  expectations: Expectations,
  comparison: KeyedComparison,
  unkept: ReadonlyMap<CounterId, readonly string[]>,
  skipped: bigint,
): KeyedRow[] => {
  const { own, allValues, host } = comparison;
  return expectations.counters.map(({ counter, expected }): KeyedRow => {
    const counts = { counter, expected, allValues: countOf(allValues, counter), host: countOf(host, counter) };
    const lacking = unkept.get(counter);
    if (lacking) return { ...counts, own: [], unkeptAt: lacking, addsUp: true, kernelSkipped: false };
    const values = own.map((column) => countOf(column.counts, counter));
    const off = values.some((value) => value !== BigInt(expected));
    const shortBySkips =
      off && values.every((value) => value === BigInt(expected) || skippedByKernel(counter, expected - Number(value), skipped));
    const addsUp = counts.allValues === counts.host;
    const verdict = !addsUp || (off && !shortBySkips) ? 'MISMATCH' : shortBySkips ? 'SKIPPED' : 'ok';
    return { ...counts, own: values, verdict, addsUp, kernelSkipped: shortBySkips };
  });
};
