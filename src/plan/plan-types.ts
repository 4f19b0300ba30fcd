// SPDX-License-Identifier: GPL-3.0-or-later
// The plan: the one data type both backends take. Per probe, the chosen attach point and why each
// better candidate was rejected.
import type { GroupArguments, GroupVariables, ProbeFamily, Returns, Update } from './catalogue-types.js';
import type { AppName, KeyTable } from './counter-keys.js';
import type { CounterId, Mode } from './counters.js';
import type { AttachKind, Family, Side, TracingChoice } from './families.js';
import type { Expr } from './probe-expr.js';
import type { FilterHooks, TaskFilter } from './task-filter.js';

export type Backend = 'bpftrace' | 'helper';

/** A group of attach targets that share one probe body. */
export interface ResolvedGroup {
  /** The helper's BPF program for this group on this attach kind: `<program>_<kind>` (src/backend/helper/program-names.ts). */
  readonly program: string;
  /** What the chosen function (or syscall) returns: decides how failure and bytes are read. */
  readonly returns: Returns;
  /** Function names, or tracepoints as "subsystem:event", on the probe's side. */
  readonly targets: readonly string[];
  /** Where {stash} is taken when the exit side cannot read arguments itself (kprobe, sys_enter_*). */
  readonly stashTargets: readonly string[];
  readonly args: GroupArguments;
  readonly vars: GroupVariables;
  readonly stash?: Expr;
  /** The tracepoint where the task's keys are remembered for this group's event (TracepointGroup.keysFrom), when
   *  the plan keeps keys. */
  readonly keysFrom?: string;
}

export interface Attachment {
  readonly family: Family;
  readonly kind: AttachKind;
  readonly side: Side;
  readonly groups: readonly ResolvedGroup[];
  /** What a user reads: "tracepoint:syscalls:sys_enter_read", "kprobe:vfs_read", ... */
  readonly attachPoints: readonly string[];
}

export interface Rejection {
  readonly family: Family;
  readonly reason: string;
}

export interface PlannedProbe {
  readonly probe: string;
  readonly summary: string;
  readonly counters: readonly CounterId[];
  readonly updates: readonly Update[];
  /** null when no candidate is usable on this host: its counters are not collected. */
  readonly chosen: Attachment | null;
  readonly rejected: readonly Rejection[];
}

export interface Plan {
  readonly mode: Mode;
  readonly tracing: TracingChoice;
  readonly backend: Backend;
  readonly kernel: string;
  readonly probes: readonly PlannedProbe[];
  /** Count only this process tree or command; absent: the whole host. */
  readonly filter?: TaskFilter;
  /** The events the filter hooks to follow --pid's tree, as cgroupEvents are for cgroups (task-filter.ts). */
  readonly filterHooks?: FilterHooks;
  /** Keys every counter is also kept under (per cgroup, per command name); absent: host totals only. */
  readonly keys?: readonly KeyTable[];
  /** The tracepoints that say a cgroup was made or removed, when the plan keeps cgroup keys and the host has them. */
  readonly cgroupEvents?: { readonly created: string; readonly removed: string };
  /** Where the kernel keeps the keyed totals, when the plan keeps keys (key-store.ts). */
  readonly keyStore?: KeyStore;
  /** With comm keys and apps_groups.conf's names: whether the kernel counts a task whose own name matches none
   *  under its nearest matching ancestor's (app-inheritance.ts). */
  readonly appInheritance?: AppInheritance;
}

/** names: what the kernel matches task names with; empty when the backend keeps plain per-comm counts. */
export interface AppInheritance {
  readonly names: readonly AppName[];
  readonly reason: string;
}

/** slots: a per-CPU array slot per key, cached per task in task local storage; hash: a per-CPU hash per key. */
export interface KeyStore {
  readonly store: 'slots' | 'hash';
  readonly reason: string;
}

/** An attach failure learnt at run time: a whole family, or one attach point. */
export interface Refusal {
  readonly family?: Family;
  readonly attachPoint?: string;
  readonly reason: string;
}

export interface PlanRequest {
  readonly mode: Mode;
  readonly tracing: TracingChoice;
  readonly backend: Backend;
  readonly refused?: readonly Refusal[];
  readonly filter?: TaskFilter;
  readonly keys?: readonly KeyTable[];
  /** apps_groups.conf's names, for the kernel to count a task under its nearest matching ancestor's name. */
  readonly appNames?: readonly AppName[];
  /** Families the kernel CPU budget stepped down (src/plugin/budget.ts): their probes are left out of the plan. */
  readonly dropped?: readonly ProbeFamily[];
}
