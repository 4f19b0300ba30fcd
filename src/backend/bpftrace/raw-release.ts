// SPDX-License-Identifier: GPL-3.0-or-later
// sched_process_free fires from an RCU callback in softirq. As a perf tracepoint (`tracepoint:`) the kernel does not
// run it while any tracing BPF program runs on that CPU (the global bpf_prog_active guard), so releases are lost on
// busy hosts; a raw tracepoint's guard is per program. Its argument is the freed task: the pid and the keys are read
// from it, as the helper does, and nothing is remembered at the task's exit (keysFrom).
import { arg, member } from '../../plan/probe-expr.js';
import type { ResolvedGroup } from '../../plan/plan-types.js';
import type { Dialect } from './dialect.js';

const freed = { event: 'sched:sched_process_free', raw: 'sched_process_free' } as const;

/** The host facts the choice depends on. */
export interface ReleaseHost {
  /** Kernel BTF at /sys/kernel/btf/vmlinux, to read the freed task with. */
  readonly kernelBtf: boolean;
  /** Whether root can read available_filter_functions, where bpftrace 0.24+ looks for the raw event. */
  readonly filterFunctionsReadable: boolean;
}

/** Raw, with the traceable functions bpftrace must be handed (`--traceable-functions`), or why not. */
export type ReleaseChoice =
  | { readonly raw: true; readonly traceableFunctions?: readonly string[] }
  | { readonly raw: false; readonly why: string };

/** Whether the script hooks the release raw, or why not (for the script's header). */
export const rawReleaseChoice = (dialect: Dialect, host: ReleaseHost): ReleaseChoice => {
  if (!dialect.rawRelease.raw) return dialect.rawRelease;
  if (!host.kernelBtf) return { raw: false, why: 'the kernel has no BTF to read the freed task with' };
  if (!dialect.rawRelease.findsStub) return { raw: true };
  // 0.24+ attaches the raw event only where the traceable functions list its stub. Where the kernel hides the
  // list, naming the stub is all bpftrace lacks (the event is the tracepoint tracefs shows). Where the kernel shows
  // it, bpftrace reads it itself, and whether it lists the stub depends on the kernel: not tried, so not used.
  return host.filterFunctionsReadable
    ? {
        raw: false,
        why:
          `bpftrace ${dialect.version} hooks it raw only through __probestub_${freed.raw} in available_filter_functions, ` +
          'not tried on a kernel that shows that file',
      }
    : { raw: true, traceableFunctions: [`__probestub_${freed.raw}`] };
};

/** The release group as a raw tracepoint: its task read from arg0 (rendered as a kprobe's typed argument), the
 *  bare event as its target; undefined for any other group. */
export const rawReleaseGroup = (group: ResolvedGroup): ResolvedGroup | undefined => {
  if (group.targets.length !== 1 || group.targets[0] !== freed.event) return undefined;
  const { keysFrom: _remembered, ...rest } = group;
  return {
    ...rest,
    targets: [freed.raw],
    args: { task: { index: 0, type: 'struct task_struct *' } },
    vars: { ...group.vars, subject: member(arg('task'), 'pid') },
  };
};

/** A probe on an event that names a freed task, and the freed task's id there: read from the task raw where the
 *  script hooks releases raw, else the perf tracepoint's pid field. */
export const freedTaskProbe = (event: string, raw: boolean, dialect: Dialect): { attachPoint: string; taskId: string } =>
  raw && event === freed.event
    ? { attachPoint: `rawtracepoint:${freed.raw}`, taskId: '((struct task_struct *)arg0)->pid' }
    : { attachPoint: `tracepoint:${event}`, taskId: `args${dialect.args}pid` };

/** Whether a plan's attach point is the release's tracepoint (for the header's note). */
export const isReleaseEvent = (attachPoint: string): boolean => attachPoint === `tracepoint:${freed.event}`;
