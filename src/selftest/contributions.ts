// SPDX-License-Identifier: GPL-3.0-or-later
// What each workload call adds to each counter, and whether the plan's attach point sees it.
//
// The syscall view (all contributions) is what counting the workload's own calls at the syscall boundary
// gives; an attach point may see less: a kernel function that a failing call never reaches, a tracepoint the
// kernel lacks, a return probe whose entry happened before it was attached.
import type { CounterId, Mode } from '../plan/counters.js';
import type { Attachment, PlannedProbe } from '../plan/plan-types.js';
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

type Amounts = Partial<Record<CounterId, number>>;

const barrierAction = (call: 'read' | 'write', name: string, window: Window, io: { requested: number; transferred: number }): Action =>
  ({ call, kind: 'ok', calls: 1, failed: 0, requested: io.requested, transferred: io.transferred, window, barrier: name });

const actionsOf = (report: WorkloadReport): Action[] => [
  ...report.calls.map((tally): Action => ({ ...tally, window: 'inside' })),
  barrierAction('read', "the start barrier's read", 'returns-inside', report.barrier.start),
  barrierAction('write', "the done line's write", 'inside', report.barrier.done),
  barrierAction('read', "the end barrier's read", 'enters-inside', report.barrier.end),
];

// Entry mode sees calls that enter inside the window; return mode, calls that return inside it.
const atSyscallBoundary = (action: Action, mode: Mode): boolean =>
  action.window === 'inside' || action.window === (mode === 'entry' ? 'enters-inside' : 'returns-inside');

const ioCalls = {
  read: ['read', 'pread64', 'readv', 'preadv', 'preadv2'],
  write: ['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2'],
} as const;

// Entry mode adds the count argument, which only the scalar calls have; return mode adds what was transferred.
const ioAmounts = (op: 'read' | 'write', action: Action, mode: Mode): Amounts | undefined => {
  if (!(ioCalls[op] as readonly string[]).includes(action.call)) return undefined;
  const scalar = action.call === op || action.call === `p${op}64`;
  return {
    [op]: action.calls,
    [`${op}_bytes`]: mode === 'entry' ? (scalar ? action.requested : 0) : action.transferred,
    [`${op}_error`]: action.failed,
  };
};

const threadFailures: readonly CallKind[] = ['thread_einval', 'bad_size'];

/** Per probe id: what one call adds to its counters in the syscall view. */
const syscallRules: Readonly<Record<string, (action: Action, mode: Mode) => Amounts | undefined>> = {
  open: (action) => (['open', 'openat', 'openat2', 'creat'].includes(action.call) ? { open: action.calls, open_error: action.failed } : undefined),
  close: (action) => (action.call === 'close' ? { close: action.calls, close_error: action.failed } : undefined),
  // unlinkat(AT_REMOVEDIR) removes a directory: not a delete.
  unlink: (action) => ((action.call === 'unlink' || action.call === 'unlinkat') && action.kind !== 'rmdir'
    ? { unlink: action.calls, unlink_error: action.failed } : undefined),
  read: (action, mode) => ioAmounts('read', action, mode),
  write: (action, mode) => ioAmounts('write', action, mode),
  task_create: (action) => {
    if (action.call === 'fork') return { process: action.calls };
    return action.call === 'pthread_create' ? { thread: action.calls } : undefined;
  },
  // A clone that asked for CLONE_THREAD is a failed thread, any other a failed process.
  task_error: (action) => {
    if (action.call !== 'clone' && action.call !== 'clone3') return undefined;
    return threadFailures.includes(action.kind) ? { thread_error: action.failed } : { process_error: action.failed };
  },
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
    return { seen: false, why: `it entered ${hit} before the probes were attached, and ${attachment.kind} counts only calls whose entry it saw` };
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
  const rule = syscallRules[probe.probe];
  if (!rule) throw new Error(`selftest has no expectation rule for probe ${probe.probe}: add one to src/selftest/contributions.ts`);
  return actionsOf(report).filter((action) => atSyscallBoundary(action, mode)).flatMap((action) => {
    const amounts = rule(action, mode) ?? {};
    const visibility = probe.probe === 'task_create' ? { seen: true } : reach(action, attachment);
    return (Object.entries(amounts) as [CounterId, number][])
      .filter(([counter]) => probe.counters.includes(counter))
      .map(([counter, amount]): Contribution => ({ counter, amount, ...visibility, label: labelOf(action), barrier: action.barrier !== undefined }));
  });
};
