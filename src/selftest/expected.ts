// SPDX-License-Identifier: GPL-3.0-or-later
// The value every counter must reach when the plan's probes count the workload's process tree, from the
// workload's report. Entry mode: calls, and the count argument of read/pread64/write/pwrite64 as bytes
// (vectored calls add none). Return mode: calls, bytes transferred by every variant, and negative returns as
// errors. Where the attach point's view differs from the syscall view, each counter says why.
//
// The window is the one run-workload.ts describes: counting starts before the start barrier is released and
// ends after the done line, before the end barrier is released.
import { counterIds, type CounterId, type Mode } from '../plan/counters.js';
import type { Plan } from '../plan/plan-types.js';
import { contributionsOf, type Contribution } from './contributions.js';
import type { WorkloadReport } from './workload-report.js';

export interface CounterExpectation {
  readonly counter: CounterId;
  readonly probe: string;
  /** The attach points that produce the counter, e.g. "tracepoint:syscalls:sys_exit_read". */
  readonly attachPoints: readonly string[];
  /** What the counter must show. */
  readonly expected: number;
  /** What counting the workload's calls at the syscall boundary gives; differs from `expected` only with a note. */
  readonly bySyscalls: number;
  /** Why `expected` differs from `bySyscalls`, then what else to know to read the counter. */
  readonly notes: readonly string[];
}

export interface UncollectedCounter {
  readonly counter: CounterId;
  readonly probe: string;
  readonly reason: string;
}

export interface Expectations {
  readonly mode: Mode;
  readonly counters: readonly CounterExpectation[];
  /** Counters of this mode that the plan cannot collect on this host. */
  readonly uncollected: readonly UncollectedCounter[];
}

const sum = (contributions: readonly Contribution[]): number => contributions.reduce((total, item) => total + item.amount, 0);

// One line per reason, with the calls it covers: "4 not counted: path lookup fails ... (unlink (missing), ...)".
const differenceNotes = (contributions: readonly Contribution[]): string[] => {
  const byReason = new Map<string, Contribution[]>();
  for (const item of contributions.filter((candidate) => !candidate.seen && candidate.amount > 0)) {
    byReason.set(item.why ?? 'not seen', [...(byReason.get(item.why ?? 'not seen') ?? []), item]);
  }
  return [...byReason].map(([why, items]) => `${sum(items)} not counted: ${why} (${items.map((item) => item.label).join(', ')})`);
};

const barrierNotes = (contributions: readonly Contribution[]): string[] =>
  contributions
    .filter((item) => item.barrier && item.seen && item.amount > 0)
    .map((item) => `includes ${item.amount} from ${item.label}, a barrier call inside the counting window`);

/** What to know about a counter even when the attach point sees every call. */
const remarks = (counter: CounterId, family: string, mode: Mode, report: WorkloadReport): string[] => {
  const calls = (names: readonly string[], kinds?: readonly string[]) =>
    report.calls.filter((tally) => names.includes(tally.call) && (!kinds || kinds.includes(tally.kind)));
  switch (counter) {
    case 'read_bytes':
    case 'write_bytes': {
      const op = counter === 'read_bytes' ? 'read' : 'write';
      const vectored = calls([`${op}v`, `p${op}v`, `p${op}v2`]).reduce((total, tally) => total + tally.requested, 0);
      return mode === 'entry'
        ? [`entry mode adds the count argument of ${op}(2) and p${op}64(2) only: vectored calls asked for ${vectored} bytes and add none`]
        : ['return mode adds the bytes each call returned, not the bytes it asked for'];
    }
    case 'unlink': {
      const removed = calls(['unlinkat'], ['rmdir']).reduce((total, tally) => total + tally.calls, 0);
      return removed > 0 ? [`${removed} unlinkat(AT_REMOVEDIR) calls removed directories: not deletes, not counted`] : [];
    }
    case 'process':
      return ["glibc's fork() issues clone(2), not fork(2): counted here as a new process all the same"];
    case 'thread':
      return ["glibc's pthread_create() issues clone3(2) (glibc >= 2.34): counted here as a new thread all the same"];
    case 'exit':
      return ['one per task that exits, threads included; the workload itself exits after the counting window'];
    case 'release':
      return family === 'tracepoint'
        ? [
            'sched_process_free fires after an RCU grace period: this count lags the exits, so read it once the workload ' +
              'has reaped its tasks and a grace period has passed',
          ]
        : ['release_task runs as a task is reaped: in waitpid for a process, in the exiting thread itself for a thread'];
    default:
      return [];
  }
};

export const expectCounts = (report: WorkloadReport, plan: Plan): Expectations => {
  const counters: CounterExpectation[] = [];
  const uncollected: UncollectedCounter[] = [];
  for (const probe of plan.probes) {
    const attachment = probe.chosen;
    if (!attachment) {
      const reason = probe.rejected.map((rejection) => `${rejection.family}: ${rejection.reason}`).join('; ') || 'no attach point';
      uncollected.push(...probe.counters.map((counter) => ({ counter, probe: probe.probe, reason })));
      continue;
    }
    const contributions = contributionsOf(probe, attachment, report, plan.mode);
    for (const counter of probe.counters) {
      const mine = contributions.filter((item) => item.counter === counter);
      counters.push({
        counter,
        probe: probe.probe,
        attachPoints: attachment.attachPoints,
        expected: sum(mine.filter((item) => item.seen)),
        bySyscalls: sum(mine),
        notes: [...differenceNotes(mine), ...barrierNotes(mine), ...remarks(counter, attachment.family, plan.mode, report)],
      });
    }
  }
  const order = (counter: CounterId) => counterIds.indexOf(counter);
  return {
    mode: plan.mode,
    counters: counters.sort((a, b) => order(a.counter) - order(b.counter)),
    uncollected: uncollected.sort((a, b) => order(a.counter) - order(b.counter)),
  };
};
