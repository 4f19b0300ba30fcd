// SPDX-License-Identifier: GPL-3.0-or-later
// What `selftest --cgroups` and `--apps` add to a run: the keys the plan keeps, a cgroup made for the workload,
// and, once the window is read, the per-cgroup and per-command-name comparisons.
import { readFile } from 'node:fs/promises';
import { groupCounterKey } from '../charts/app-charts.js';
import { foldCommTotals } from '../apps/fold-comms.js';
import { loadAppsGroups, type LoadedGroups } from '../apps/load-groups.js';
import { CgroupDiscovery } from '../cgroups/cgroup-discovery.js';
import { keyTablesFor, type CounterKey, type KeyTable } from '../plan/counter-keys.js';
import type { CounterId } from '../plan/counters.js';
import type { Plan } from '../plan/plan-types.js';
import type { KeyedSample, Sample } from '../samples/sample-assembler.js';
import type { Expectations } from './expected.js';
import { printKeyedComparison, unkeptCounters, type Judged, type OwnColumn } from './keyed-comparison.js';
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

export interface WhoRun {
  readonly keys: readonly KeyTable[];
  /** Before the start barrier: moves the workload into the run's cgroup, notes its command name. */
  readonly enter: (pid: number) => Promise<void>;
  /** Prints a table per key; `checked` says, for the summary, what was compared. */
  readonly compare: (expectations: Expectations, plan: Plan, window: KeyedWindow, skipped: bigint) => Judged & { readonly checked: string };
  /** Removes the run's cgroup; safe to call more than once. */
  readonly cleanup: () => Promise<void>;
}

const noCounts: Sample = new Map();

const groupCounts = (perComm: ReadonlyMap<string, Sample>, groups: LoadedGroups, group: string, counters: readonly CounterId[]): Sample => {
  const { snapshot } = foldCommTotals(perComm, groups.groupOf, new Set(counters));
  return new Map(counters.map((counter) => [counter, snapshot.get(groupCounterKey(group, counter)) ?? 0n]));
};

const butUnkept = (plan: Plan, key: CounterKey): string => {
  const unkept = [...unkeptCounters(plan).keys()];
  return unkept.length ? ` (but ${unkept.join(', ')}, not kept per ${key} here)` : '';
};

const added = (judged: readonly Judged[]): Judged => ({
  failures: judged.reduce((sum, one) => sum + one.failures, 0),
  skippedRows: judged.reduce((sum, one) => sum + one.skippedRows, 0),
});

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
      const judged: Judged[] = [];
      const checked: string[] = [];
      if (cgroup) {
        const perCgroup = keyedIncrease(window.from, window.to, 'cgroup');
        console.log(
          `\nper cgroup: the workload ran in ${root}${cgroup.relative} (id ${cgroup.id}), made for this run; ` +
            `${perCgroup.size} cgroup(s) counted`,
        );
        const own: OwnColumn[] = [{ heading: 'cgroup', counts: perCgroup.get(String(cgroup.id)) ?? noCounts }];
        judged.push(
          printKeyedComparison(
            expectations,
            { key: 'cgroup', own, allValues: sumOverValues(perCgroup.values()), host: window.host },
            unkeptCounters(plan),
            skipped,
          ),
        );
        checked.push(`in its cgroup${butUnkept(plan, 'cgroup')}`);
      }
      if (groups) {
        const perComm = keyedIncrease(window.from, window.to, 'comm');
        const group = groups.groupOf(comm);
        console.log(
          `\nper command name: the workload runs as ${JSON.stringify(comm)}, in group \`${group}\` of ` +
            `${groups.file ?? 'no apps_groups.conf'}; ${perComm.size} command name(s) counted`,
        );
        const own: OwnColumn[] = [
          { heading: `comm ${comm}`, counts: perComm.get(comm) ?? noCounts },
          { heading: `group ${group}`, counts: groupCounts(perComm, groups, group, counters) },
        ];
        judged.push(
          printKeyedComparison(
            expectations,
            { key: 'comm', own, allValues: sumOverValues(perComm.values()), host: window.host },
            unkeptCounters(plan),
            skipped,
          ),
        );
        checked.push(`under its command name and its group \`${group}\`${butUnkept(plan, 'comm')}`);
      }
      return { ...added(judged), checked: `on the host, ${checked.join(' and ')}; each key's values add up to the host's counts` };
    },
    cleanup: async () => {
      await cgroup?.remove();
    },
  };
};
