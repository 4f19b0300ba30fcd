// SPDX-License-Identifier: GPL-3.0-or-later
// The shape of the probe catalogue: what each probe counts and where it may attach.
//
// Templates are fixed strings of this file's catalogue, never user input. Tokens:
//   {ret}        the return value (exit side only)
//   {arg.NAME}   a function argument (by index for kprobes) or a tracepoint field
//   {stash}      a value taken on the entry side and read back on the exit side
//   {NAME}       a variable of the group (a template itself, or the literal 0 or 1)
import type { CounterId } from './counters.js';
import type { Family } from './families.js';

/** One counter update: `when` is a list of clauses joined with &&; `add` defaults to counting 1. */
export interface Update {
  readonly counter: CounterId;
  readonly when?: readonly string[];
  readonly add?: string;
}

export interface FunctionArg {
  readonly index: number;
  /** C type used to cast a kprobe argument, e.g. "struct task_struct *"; needs BTF. */
  readonly type?: string;
}

interface GroupTemplates {
  readonly vars?: Readonly<Record<string, string>>;
  /** A condition (0 or 1) taken on the entry side; on the exit side {stash} reads it back (fexit sees the
   *  arguments directly). */
  readonly stash?: string;
}

/** A kernel function, valid for a kernel range: `since` inclusive, `before` exclusive. */
export interface FunctionAlternative extends GroupTemplates {
  readonly name: string;
  readonly since?: string;
  readonly before?: string;
  readonly args?: Readonly<Record<string, FunctionArg>>;
}

/** The first alternative that the host has is used; a group that is not optional must find one. */
export interface FunctionGroup extends GroupTemplates {
  readonly oneOf: readonly FunctionAlternative[];
  readonly args?: Readonly<Record<string, FunctionArg>>;
  readonly optional?: boolean;
  /** Kernel structs are read (a cast argument): needs BTF so bpftrace and CO-RE know their layout. */
  readonly needsBtf?: boolean;
}

/** Tracepoints: `syscalls` names pair sys_enter_X with sys_exit_X; `events` are the same on both sides. */
export interface TracepointGroup extends GroupTemplates {
  readonly syscalls?: readonly string[];
  readonly events?: readonly string[];
  readonly optional?: boolean;
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
  readonly functions: readonly FunctionGroup[];
  readonly tracepoints: readonly TracepointGroup[];
  /** Entry-mode updates, made on the entry side. */
  readonly entry: readonly Update[];
  /** Return-mode updates, made on the exit side; absent: the probe counts on the entry side in both modes. */
  readonly return?: readonly Update[];
  /** Only planned in return mode (error counters). */
  readonly returnOnly?: boolean;
}
