// SPDX-License-Identifier: GPL-3.0-or-later
// What `selftest --cgroups` and `--apps` add to a run: the keys the plan keeps, a cgroup made for the workload,
// and, once the window is read, the per-cgroup and per-command-name comparisons.
import { readFile } from 'node:fs/promises';
import { groupCounterKey } from '../charts/app-charts.js';
import { foldCommTotals } from '../apps/fold-comms.js';
import { loadAppsGroups, type LoadedGroups } from '../apps/load-groups.js';
import { CgroupDiscovery } from '../cgroups/cgroup-discovery.js';
import { keyTablesFor, type KeyTable } from '../plan/counter-keys.js';
import type { CounterId } from '../plan/counters.js';
import type { Plan } from '../plan/plan-types.js';
import type { KeyedSample, Sample } from '../samples/sample-assembler.js';
import type { Expectations } from './expected.js';
import { judgeKeyed, unkeptCounters, type KeyedRow, type OwnColumn } from './keyed-comparison.js';
import { makeRunCgroup, type RunCgroup } from './run-cgroup.js';
import { keyedIncrease, sumOverValues } from './sample-window.js';
import { SelftestError } from './selftest-error.js';

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
  /** Before the start barrier: moves the workload into the run's cgroup, notes its command name. */
  readonly enter: (pid: number) => Promise<void>;
  /** A table per key, cgroup first. */
  readonly compare: (expectations: Expectations, plan: Plan, window: KeyedWindow, skipped: bigint) => KeyedTable[];
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
    enter: async (pid) => {
      await cgroup?.enter(pid);
      // Its threads and children inherit the name: none renames itself.
      if (groups) comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trimEnd();
    },
    compare: (expectations, plan, window, skipped) => {
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
          skipped,
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
