// SPDX-License-Identifier: GPL-3.0-or-later
// What `selftest --cgroups` and `--apps` add to a run: the keys the plan keeps, a cgroup made for the workload,
// and, once the window is read, the per-cgroup and per-command-name comparisons.
import { readFile } from 'node:fs/promises';
import { groupCounterKey } from '../charts/app-charts.js';
import { foldCommTotals } from '../apps/fold-comms.js';
import { loadAppsGroups, type LoadedGroups } from '../apps/load-groups.js';
import { CgroupDiscovery } from '../cgroups/cgroup-discovery.js';
import { keyTablesFor, type KeyTable, type CounterKey, type KeySizes } from '../plan/counter-keys.js';
import type { CounterId } from '../plan/counters.js';
import type { Plan } from '../plan/plan-types.js';
import type { KeyedSample, Sample } from '../samples/sample-assembler.js';
import type { Expectations } from './expected.js';
import { makeRunCgroup, type RunCgroup } from './run-cgroup.js';
import { keyedIncrease, sumOverValues } from './sample-window.js';
import { SelftestError } from './selftest-error.js';
import { groupCarriesKey } from '../plan/counter-sources.js';
import { skippedByKernel, type KernelSkips } from './recursion-misses.js';

// `selftest --cgroups` / `--apps`: the workload's own key values (its cgroup; its command name and that name's
// group) must each count exactly what the workload did, and every value of the key added up must equal the host's
// count of the same window: nothing counted on the host is lost to, or added by, the keyed maps.

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
  skips: KernelSkips,
): KeyedRow[] => {
  const { own, allValues, host } = comparison;
  return expectations.counters.map(({ counter, expected }): KeyedRow => {
    const counts = { counter, expected, allValues: countOf(allValues, counter), host: countOf(host, counter) };
    const lacking = unkept.get(counter);
    if (lacking) return { ...counts, own: [], unkeptAt: lacking, addsUp: true, kernelSkipped: false };
    const values = own.map((column) => countOf(column.counts, counter));
    const off = values.some((value) => value !== BigInt(expected));
    const shortBySkips =
      off && values.every((value) => value === BigInt(expected) || skippedByKernel(counter, expected - Number(value), skips));
    const addsUp = counts.allValues === counts.host;
    const verdict = !addsUp || (off && !shortBySkips) ? 'MISMATCH' : shortBySkips ? 'SKIPPED' : 'ok';
    return { ...counts, own: values, verdict, addsUp, kernelSkipped: shortBySkips };
  });
};

export interface WhoRequest {
  readonly cgroups?: { readonly tableSize: number };
  readonly apps?: { readonly tableSize: number };
}

/** The window: the host's counts, and the keyed running totals at its two ends. */
export interface KeyedWindow {
  readonly host: Sample;
  readonly from: KeyedSample;
  readonly to: KeyedSample;
}

/** The workload's own key value for one key: its cgroup, or its command name and that name's group. */
export type KeyedSubject =
  | { readonly key: 'cgroup'; readonly path: string; readonly id: bigint }
  | { readonly key: 'comm'; readonly comm: string; readonly group: string; readonly groupsFile: string | undefined };

/** One key's comparison: whose values, how many values were counted, the own columns' headings and the rows. */
export interface KeyedTable {
  readonly subject: KeyedSubject;
  readonly valuesCounted: number;
  readonly headings: readonly string[];
  readonly rows: readonly KeyedRow[];
  /** Counters this plan cannot keep per key. */
  readonly unkept: readonly CounterId[];
}

export interface WhoRun {
  readonly keys: readonly KeyTable[];
  /** What the plan is asked for: the request, with apps_groups.conf's names for the kernel's inherited groups. */
  readonly sizes: KeySizes;
  /** Before the start barrier: moves the workload into the run's cgroup, notes its command name. */
  readonly enter: (pid: number) => Promise<void>;
  /** A table per key, cgroup first. */
  readonly compare: (expectations: Expectations, plan: Plan, window: KeyedWindow, skips: KernelSkips) => KeyedTable[];
  /** Removes the run's cgroup; safe to call more than once. */
  readonly cleanup: () => Promise<void>;
}

const noCounts: Sample = new Map();

const groupCounts = (perComm: ReadonlyMap<string, Sample>, groups: LoadedGroups, group: string, counters: readonly CounterId[]): Sample => {
  const { snapshot } = foldCommTotals(perComm, groups.groupOf, new Set(counters));
  return new Map(counters.map((counter) => [counter, snapshot.get(groupCounterKey(group, counter)) ?? 0n]));
};

export const prepareWho = async (request: WhoRequest): Promise<WhoRun> => {
  let cgroup: RunCgroup | undefined;
  let root = '';
  if (request.cgroups) {
    const problems: string[] = [];
    const discovery = await CgroupDiscovery.open((problem) => problems.push(problem));
    if (!discovery) throw new SelftestError('ebpf.selftest.cgroup', `selftest --cgroups needs cgroup v2. ${problems.join(' ')}`);
    root = discovery.root;
    cgroup = await makeRunCgroup(root);
  }
  const groups = request.apps ? await loadAppsGroups() : undefined;
  let comm = '';
  return {
    keys: keyTablesFor(request),
    sizes: { ...request, ...(request.apps && groups ? { apps: { ...request.apps, groups } } : {}) },
    enter: async (pid) => {
      await cgroup?.enter(pid);
      // Its threads and children inherit the name: none renames itself.
      if (groups) comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trimEnd();
    },
    compare: (expectations, plan, window, skips) => {
      const counters = expectations.counters.map(({ counter }) => counter);
      const unkept = unkeptCounters(plan);
      const table = (subject: KeyedSubject, perValue: ReadonlyMap<string, Sample>, own: readonly OwnColumn[]): KeyedTable => ({
        subject,
        valuesCounted: perValue.size,
        headings: own.map((column) => column.heading),
        rows: judgeKeyed(
          expectations,
          { key: subject.key, own, allValues: sumOverValues(perValue.values()), host: window.host },
          unkept,
          skips,
        ),
        unkept: [...unkept.keys()],
      });
      const tables: KeyedTable[] = [];
      if (cgroup) {
        const perCgroup = keyedIncrease(window.from, window.to, 'cgroup');
        const own = [{ heading: 'cgroup', counts: perCgroup.get(String(cgroup.id)) ?? noCounts }];
        tables.push(table({ key: 'cgroup', path: `${root}${cgroup.relative}`, id: cgroup.id }, perCgroup, own));
      }
      if (groups) {
        const perComm = keyedIncrease(window.from, window.to, 'comm');
        const group = groups.groupOf(comm);
        const own = [
          { heading: `comm ${comm}`, counts: perComm.get(comm) ?? noCounts },
          { heading: `group ${group}`, counts: groupCounts(perComm, groups, group, counters) },
        ];
        tables.push(table({ key: 'comm', comm, group, groupsFile: groups.file }, perComm, own));
      }
      return tables;
    },
    cleanup: async () => {
      await cgroup?.remove();
    },
  };
};
