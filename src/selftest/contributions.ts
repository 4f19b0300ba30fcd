// SPDX-License-Identifier: GPL-3.0-or-later
// What each workload call adds to each counter, and whether the plan's attach point sees it.
//
// The syscall view (all contributions) is what counting the workload's own calls at the syscall boundary
// gives; an attach point may see less: a kernel function that a failing call never reaches, a tracepoint the
// kernel lacks, a return probe whose entry happened before it was attached.
import { AT_REMOVEDIR, CLONE_THREAD, probeCatalogue } from '../plan/catalogue.js';
import { groupCounting, syscallReturns } from '../plan/choose-attach.js';
import type { CounterId, Mode } from '../plan/counters.js';
import type { Side } from '../plan/families.js';
import type { Attachment, PlannedProbe } from '../plan/plan-types.js';
import { readPointOf } from '../plan/readable-values.js';
import { evaluateUpdates, type Amounts, type CallRun } from './evaluate-updates.js';
import { kernelPath } from './kernel-paths.js';
import type { CallKind, WorkloadCall, WorkloadReport } from './workload-report.js';

/** Where a call sits relative to the tracer's window (attached before start, stopped after done). */
type Window = 'inside' | 'returns-inside' | 'enters-inside';

interface Action {
  readonly call: WorkloadCall;
  readonly kind: CallKind;
  readonly calls: number;
  readonly failed: number;
  readonly requested: number;
  readonly transferred: number;
  readonly window: Window;
  /** Set for the barrier calls, which the workload makes to synchronise rather than to be counted. */
  readonly barrier?: string;
}

export interface Contribution {
  readonly counter: CounterId;
  readonly amount: number;
  readonly seen: boolean;
  /** Why the attach point does not see it. */
  readonly why?: string;
  /** "unlink (missing)", "the start barrier's read". */
  readonly label: string;
  readonly barrier: boolean;
}

const barrierAction = (call: 'read' | 'write', name: string, window: Window, io: { requested: number; transferred: number }): Action => ({
  call,
  kind: 'ok',
  calls: 1,
  failed: 0,
  requested: io.requested,
  transferred: io.transferred,
  window,
  barrier: name,
});

const actionsOf = (report: WorkloadReport): Action[] => [
  ...report.calls.map((tally): Action => ({ ...tally, window: 'inside' })),
  barrierAction('read', "the start barrier's read", 'returns-inside', report.barrier.start),
  barrierAction('write', "the done line's write", 'inside', report.barrier.done),
  barrierAction('read', "the end barrier's read", 'enters-inside', report.barrier.end),
];

// Entry mode sees calls that enter inside the window; return mode, calls that return inside it.
const atSyscallBoundary = (action: Action, mode: Mode): boolean =>
  action.window === 'inside' || action.window === (mode === 'entry' ? 'enters-inside' : 'returns-inside');

// What the workload passed, under the catalogue's argument names: the flags its conditions test. A thread is
// asked for with CLONE_THREAD (pthread_create(3), and the clone(2)/clone3(2) calls that fail as threads).
const threadFailures: readonly CallKind[] = ['thread_einval', 'bad_size'];

const workloadArguments = (action: Action): Pick<CallRun, 'args' | 'userU64'> => {
  const cloneFlags = action.call === 'pthread_create' || threadFailures.includes(action.kind) ? CLONE_THREAD : 0;
  return { args: { flag: action.kind === 'rmdir' ? AT_REMOVEDIR : 0, clone_flags: cloneFlags }, userU64: { uargs: cloneFlags } };
};

// The task events a workload call fires; other calls reach a probe through their syscall tracepoints.
const eventsOf: Partial<Record<WorkloadCall, readonly string[]>> = { fork: ['task:task_newtask'], pthread_create: ['task:task_newtask'] };

/** The syscall view: what the probe's own updates give for the call at its syscall (or task event) tracepoint,
 *  evaluated with what the workload passed and got back (src/selftest/evaluate-updates.ts). */
const syscallAmounts = (probe: PlannedProbe, side: Side, action: Action): Amounts | undefined => {
  const definition = probeCatalogue.find((candidate) => candidate.id === probe.probe);
  const group = definition?.tracepoints.find(
    (candidate) => candidate.syscalls?.includes(action.call) || candidate.events?.some((event) => eventsOf[action.call]?.includes(event)),
  );
  if (!group) return undefined;
  const point = readPointOf('tracepoint', side, group.syscalls ? 'syscall' : 'event');
  return evaluateUpdates(probe.updates, groupCounting(group, syscallReturns), point, {
    calls: action.calls,
    ...workloadArguments(action),
    ...(side === 'exit' ? { failed: action.failed > 0 } : {}),
    sums: { returned: action.transferred, args: { count: action.requested } },
  });
};

const targetsOf = (attachment: Attachment): string[] => attachment.groups.flatMap((group) => [...group.targets]);

/** Whether the attach point sees a call; tracepoints outside `syscalls:` (task events) see every task. */
const reach = (action: Action, attachment: Attachment): { seen: boolean; why?: string } => {
  const targets = targetsOf(attachment);
  if (attachment.family === 'tracepoint') {
    if (!targets.some((target) => target.startsWith('syscalls:'))) return { seen: true };
    const tracepoint = `syscalls:sys_${attachment.side === 'entry' ? 'enter' : 'exit'}_${action.call}`;
    return targets.includes(tracepoint) ? { seen: true } : { seen: false, why: `the plan has no ${tracepoint}` };
  }
  const path = kernelPath(action.call, action.kind);
  const hit = path.functions.find((name) => targets.includes(name));
  if (hit && action.window === 'returns-inside') {
    return {
      seen: false,
      why: `it entered ${hit} before the probes were attached, and ${attachment.kind} counts only calls whose entry it saw`,
    };
  }
  if (hit) return { seen: true };
  return { seen: false, why: path.stopsBefore ?? `${action.call} does not run ${targets.join(', ')}` };
};

const labelOf = (action: Action): string => action.barrier ?? `${action.call} (${action.kind})`;

const taskContributions = (probe: string, report: WorkloadReport): Contribution[] => {
  const counter = probe === 'exit' ? 'exit' : 'release';
  const amount = probe === 'exit' ? report.tasks.exited : report.tasks.released;
  return [{ counter, amount, seen: true, label: `the workload's tasks (${counter === 'exit' ? 'exited' : 'reaped'})`, barrier: false }];
};

/** Every contribution to the counters of one planned probe that has an attachment. */
export const contributionsOf = (probe: PlannedProbe, attachment: Attachment, report: WorkloadReport, mode: Mode): Contribution[] => {
  if (probe.probe === 'exit' || probe.probe === 'release') return taskContributions(probe.probe, report);
  return actionsOf(report)
    .filter((action) => atSyscallBoundary(action, mode))
    .flatMap((action) => {
      const amounts = syscallAmounts(probe, attachment.side, action) ?? {};
      const visibility = probe.probe === 'task_create' ? { seen: true } : reach(action, attachment);
      return (Object.entries(amounts) as [CounterId, number][])
        .filter(([counter]) => probe.counters.includes(counter))
        .map(
          ([counter, amount]): Contribution => ({
            counter,
            amount,
            ...visibility,
            label: labelOf(action),
            barrier: action.barrier !== undefined,
          }),
        );
    });
};
