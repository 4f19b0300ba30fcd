// SPDX-License-Identifier: GPL-3.0-or-later
// What a program can read where it attaches, stated once: the return value, the arguments (which ones, typed how),
// a member of the struct an argument points to, the group's stash and variables. The bpftrace renderer, the helper's
// C renderer and the selftest's evaluation all ask here, so each value is read by all three or refused by all three,
// with one error (Unreadable), which makes the update it belongs to not made at that attach point.
import type { FunctionArg, GroupArguments, GroupVariables } from './catalogue-types.js';
import type { AttachKind, Side } from './families.js';
import type { ArgumentName, Expr, VariableName } from './probe-expr.js';

/** Attach kinds as far as reading goes: tracepoints differ by what their record holds, and a raw tracepoint's
 *  arguments are the kernel's own (sched_process_free's freed task). The current task (pid, tid, comm, cgroup) is
 *  readable at every point. */
export const readPoints = [
  'fentry',
  'fexit',
  'kprobe',
  'kretprobe',
  'syscall_entry',
  'syscall_exit',
  'task_event',
  'raw_tracepoint',
] as const;
export type ReadPoint = (typeof readPoints)[number];

/**
 * Which arguments a point reads, and how they are typed:
 * - btf: those the group declares, by name, typed by the function's BTF (fentry, fexit);
 * - cast: those the group declares, by index, cast to the group's `type` or read as u64 (kprobe's registers, a raw
 *   tracepoint's arguments);
 * - syscall: those the group declares: sys_enter_X's arguments, by index into `args[]` as longs (the helper) or by
 *   name, typed by the event's format (bpftrace);
 * - fields: the event record's fields by name, typed by its format (task_newtask: pid, comm, clone_flags,
 *   oom_score_adj; sched_process_free: comm, pid, prio);
 * - none: a kretprobe's and sys_exit_X's record hold only the result.
 */
export type ArgumentAccess = 'btf' | 'cast' | 'syscall' | 'fields' | 'none';

export interface PointValues {
  /** The result: fexit's typed by BTF, a kretprobe's whole register, sys_exit_X's `ret` (a long). No task event and
   *  no sys_enter_X has one (their formats under tracefs' events/ list no `ret`). */
  readonly ret: boolean;
  readonly args: ArgumentAccess;
}

export const pointValues: Readonly<Record<ReadPoint, PointValues>> = {
  fentry: { ret: false, args: 'btf' },
  fexit: { ret: true, args: 'btf' },
  kprobe: { ret: false, args: 'cast' },
  kretprobe: { ret: true, args: 'none' },
  syscall_entry: { ret: false, args: 'syscall' },
  syscall_exit: { ret: true, args: 'none' },
  task_event: { ret: false, args: 'fields' },
  raw_tracepoint: { ret: false, args: 'cast' },
};

/** The value is not readable here: the update that needs it is not made at this point. */
export class Unreadable extends Error {}

/** What a tracepoint is: a syscall's sys_enter_X/sys_exit_X, another event (task, sched), or an event hooked raw. */
export type TracepointSource = 'syscall' | 'event' | 'raw';

export const readPointOf = (kind: AttachKind, side: Side, source: TracepointSource): ReadPoint => {
  if (kind !== 'tracepoint') return kind;
  if (source === 'raw') return 'raw_tracepoint';
  if (source === 'event') return 'task_event';
  return side === 'entry' ? 'syscall_entry' : 'syscall_exit';
};

/** The part of a group that says what its updates may read. */
export interface GroupValues {
  readonly args: GroupArguments;
  readonly vars: GroupVariables;
  readonly stash?: Expr;
}

export const readReturn = (point: ReadPoint): void => {
  if (!pointValues[point].ret) throw new Unreadable(`no return value at ${point}`);
};

/** How an argument is read here: by the point's access, with the group's declaration where the point needs one. */
export type ArgumentRead = { readonly access: 'fields' } | { readonly access: 'btf' | 'cast' | 'syscall'; readonly declared: FunctionArg };

export const readArgument = (point: ReadPoint, group: GroupValues, name: ArgumentName): ArgumentRead => {
  const access = pointValues[point].args;
  if (access === 'none') throw new Unreadable(`argument ${name} is not readable at ${point}`);
  if (access === 'fields') return { access };
  const declared = group.args[name];
  if (!declared) throw new Unreadable(`argument ${name} is not among the group's args (src/plan/catalogue.ts), which ${point} reads by`);
  return { access, declared };
};

/** A member is read through an argument typed as a pointer to a struct: by BTF, or by the group's cast. */
export const readMember = (point: ReadPoint, group: GroupValues, of: Expr, field: string): void => {
  if (of.kind !== 'arg') throw new Unreadable(`${field} is read through an argument only`);
  const read = readArgument(point, group, of.name);
  if (read.access === 'btf' || (read.access === 'cast' && read.declared.type)) return;
  throw new Unreadable(`argument ${of.name} is not a typed pointer at ${point}, so its ${field} is not readable`);
};

/** Where an exit point's stash was taken: its entry, when it cannot read the arguments itself (fexit can). */
export const stashPoint = (point: ReadPoint): ReadPoint =>
  point === 'kretprobe' ? 'kprobe' : point === 'syscall_exit' ? 'syscall_entry' : point;

export const boundStash = (group: GroupValues): Expr => {
  if (!group.stash) throw new Unreadable('the group stashes nothing');
  return group.stash;
};

export const boundVariable = (group: GroupValues, name: VariableName): Expr => {
  const value = group.vars[name];
  if (value === undefined) throw new Unreadable(`variable ${name} is not set`);
  return value;
};
