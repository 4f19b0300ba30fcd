// SPDX-License-Identifier: GPL-3.0-or-later
// The shape of the probe catalogue: what each probe counts and where it may attach. This is the one
// definition of counting: the bpftrace generator, the helper's generated BPF programs and the selftest's
// expectations all read it (docs/pipeline.md, "Adding a counter or a key").
import type { CounterId } from './counters.js';
import type { Family } from './families.js';
import type { ArgumentName, Expr, VariableName } from './probe-expr.js';

/** One counter update: `when` is a list of conditions joined with &&; `add` defaults to counting 1. */
export interface Update {
  readonly counter: CounterId;
  readonly when?: readonly Expr[];
  readonly add?: Expr;
}

export interface FunctionArg {
  readonly index: number;
  /** C type used to cast a kprobe argument, e.g. "struct task_struct *"; needs BTF. */
  readonly type?: string;
}

/** What a function returns, which says what failure looks like: `status` an int, negative on failure;
 *  `count` a size (ssize_t), negative on failure; `pointer` NULL on failure. Syscall tracepoints give `count`. */
export type Returns = 'status' | 'count' | 'pointer';

export type GroupVariables = Readonly<Partial<Record<VariableName, Expr>>>;
export type GroupArguments = Readonly<Partial<Record<ArgumentName, FunctionArg>>>;

interface GroupCommon {
  /** The helper's program stem: `<program>_<kind>` names its BPF program (grep-able in bpf-fallback/). */
  readonly program: string;
  /** Named values the updates read: requested, isThread, isFile, subject (the task a release is about). */
  readonly vars?: GroupVariables;
  /** A condition taken on the entry side; on the exit side the `stash` expression reads it back (fexit sees
   *  the arguments directly). */
  readonly stash?: Expr;
  /** Arguments by name: index (and type) of a function argument, or index of a syscall tracepoint's argument
   *  (the helper reads `args[index]`; bpftrace reads the field by name). */
  readonly args?: GroupArguments;
  readonly optional?: boolean;
}

/** A kernel function, valid for a kernel range: `since` inclusive, `before` exclusive. */
export interface FunctionAlternative {
  readonly name: string;
  readonly since?: string;
  readonly before?: string;
  /** Overrides the probe's `returns` (close's newer functions return the file). */
  readonly returns?: Returns;
}

/** The first alternative that the host has is used; a group that is not optional must find one. */
export interface FunctionGroup extends GroupCommon {
  readonly oneOf: readonly FunctionAlternative[];
  /** Kernel structs are read (a cast argument): needs BTF so bpftrace and CO-RE know their layout. */
  readonly needsBtf?: boolean;
}

/** Tracepoints: `syscalls` names pair sys_enter_X with sys_exit_X; `events` are the same on both sides. */
export interface TracepointGroup extends GroupCommon {
  readonly syscalls?: readonly string[];
  readonly events?: readonly string[];
  /** For an event that names its task by pid only (sched_process_free): an earlier event of the same task, while
   *  it is still the current one, where its keys are remembered per thread when the plan keeps keys
   *  (src/plan/counter-keys.ts). */
  readonly keysFrom?: string;
}

/** The chart families the probes feed (docs/charts.md); self monitoring charts and the CPU budget work per family. */
export const probeFamilies = ['file', 'vfs', 'process'] as const;
export type ProbeFamily = (typeof probeFamilies)[number];

export interface ProbeDefinition {
  readonly id: string;
  readonly summary: string;
  readonly family: ProbeFamily;
  /** Families in the order `auto` tries them: the cheapest first. */
  readonly order: readonly Family[];
  /** What the probe's functions return; syscall tracepoints return a `count`. Defaults to `status`. */
  readonly returns?: Returns;
  readonly functions: readonly FunctionGroup[];
  readonly tracepoints: readonly TracepointGroup[];
  /** Entry-mode updates, made on the entry side. */
  readonly entry: readonly Update[];
  /** Return-mode updates, made on the exit side; absent: the probe counts on the entry side in both modes. */
  readonly return?: readonly Update[];
  /** Only planned in return mode (error counters). */
  readonly returnOnly?: boolean;
}
