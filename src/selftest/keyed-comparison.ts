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
import { skippedByKernel, skippedNote } from './recursion-misses.js';

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

export interface Judged {
  failures: number;
  skippedRows: number;
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

export const printKeyedComparison = (
  expectations: Expectations,
  comparison: KeyedComparison,
  unkept: ReadonlyMap<CounterId, readonly string[]>,
  skipped: bigint,
): Judged => {
  const { key, own, allValues, host } = comparison;
  const headings = ['expected', ...own.map((column) => column.heading), `all ${key}s`, 'host'];
  const widths = headings.map((heading) => Math.max(heading.length, 9));
  const cells = (values: readonly string[]): string => values.map((value, index) => value.padStart(widths[index]!)).join(' ');
  console.log(`${'counter'.padEnd(14)} ${cells(headings)}  verdict`);
  const judged: Judged = { failures: 0, skippedRows: 0 };
  for (const { counter, expected } of expectations.counters) {
    const lacking = unkept.get(counter);
    if (lacking) {
      console.log(
        `${counter.padEnd(14)} ${cells([String(expected), ...own.map(() => '-'), '-', String(countOf(host, counter))])}  ` +
          `not kept per ${key} on this attach point (${lacking.join(', ')})`,
      );
      continue;
    }
    const values = own.map((column) => countOf(column.counts, counter));
    const shortBySkips =
      values.some((value) => value !== BigInt(expected)) &&
      values.every((value) => value === BigInt(expected) || skippedByKernel(counter, expected - Number(value), skipped));
    const added = countOf(allValues, counter) === countOf(host, counter);
    const verdict =
      !added || (values.some((value) => value !== BigInt(expected)) && !shortBySkips) ? 'MISMATCH' : shortBySkips ? 'SKIPPED ' : 'ok';
    judged.failures += verdict === 'MISMATCH' ? 1 : 0;
    judged.skippedRows += shortBySkips ? 1 : 0;
    console.log(
      `${counter.padEnd(14)} ` +
        `${cells([String(expected), ...values.map(String), String(countOf(allValues, counter)), String(countOf(host, counter))])} ` +
        ` ${verdict}`,
    );
    if (!added)
      console.log(
        `${''.padEnd(15)}note: the ${key}s add up to ${countOf(allValues, counter)}, ` +
          `the host counted ${countOf(host, counter)} in the same window`,
      );
    if (shortBySkips) console.log(`${''.padEnd(15)}note: ${skippedNote(skipped)}`);
  }
  return judged;
};
