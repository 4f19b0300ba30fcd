// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluate the catalogue's updates (src/plan/catalogue.ts) for calls the workload made: the same definition the
// backends compile into the kernel, run here on what the workload says it passed and got back. The selftest's
// expectations are therefore the catalogue's own meaning, checked against what the kernel-side code counted.
import type { Update } from '../plan/catalogue-types.js';
import type { GroupCounting } from '../plan/choose-attach.js';
import type { CounterId } from '../plan/counters.js';
import type { ArgumentName, Expr } from '../plan/probe-expr.js';
import {
  boundStash,
  boundVariable,
  readArgument,
  readMember,
  readReturn,
  stashPoint,
  Unreadable,
  type ReadPoint,
} from '../plan/readable-values.js';

/** A run of identical calls: how many, their arguments and the sign of their result. */
export interface CallRun {
  readonly calls: number;
  /** Argument values by the catalogue's names (tracepoint fields): flags the conditions test. */
  readonly args: Readonly<Partial<Record<ArgumentName, number>>>;
  /** The u64 each named user-space pointer argument points to (clone3's struct clone_args). */
  readonly userU64?: Readonly<Partial<Record<ArgumentName, number>>>;
  /** Whether the calls returned an error; undefined on the entry side, which sees no result. */
  readonly failed?: boolean;
  /** Totals over the run, for updates that add a value: of the results (bytes returned) and of named arguments
   *  (the count asked for). */
  readonly sums: { readonly returned: number; readonly args: Readonly<Partial<Record<ArgumentName, number>>> };
}

export type Amounts = Partial<Record<CounterId, number>>;

// A failed call returns a negative errno, a successful one a count or descriptor: the sign is what conditions test.
// What the read point offers is src/plan/readable-values.ts; beyond it, a value the workload does not state is not
// read either.
const value = (expr: Expr, group: GroupCounting, point: ReadPoint, run: CallRun): number => {
  switch (expr.kind) {
    case 'ret':
      readReturn(point);
      if (run.failed === undefined) throw new Unreadable('the workload states no result');
      return run.failed ? -1 : 1;
    case 'arg': {
      readArgument(point, group, expr.name);
      const argument = run.args[expr.name];
      if (argument === undefined) throw new Unreadable(`the workload states no ${expr.name}`);
      return argument;
    }
    case 'userU64': {
      if (expr.at.kind === 'arg') readArgument(point, group, expr.at.name);
      const pointed = expr.at.kind === 'arg' ? run.userU64?.[expr.at.name] : undefined;
      if (pointed === undefined) throw new Unreadable('the workload states no user buffer');
      return pointed;
    }
    case 'literal':
      return Number(expr.value);
    case 'stash':
      return value(boundStash(group), group, stashPoint(point), run);
    case 'var':
      return value(boundVariable(group, expr.name), group, point, run);
    case 'mask':
      return value(expr.value, group, point, run) & expr.bits;
    case 'compare': {
      const left = value(expr.left, group, point, run);
      const right = value(expr.right, group, point, run);
      const holds = { '<': left < right, '>': left > right, '==': left === right, '!=': left !== right }[expr.op];
      return holds ? 1 : 0;
    }
    case 'not':
      return value(expr.of, group, point, run) ? 0 : 1;
    case 'member':
      readMember(point, group, expr.of, expr.field);
      throw new Unreadable('the workload states no kernel struct');
  }
};

// The value an update adds over the whole run: a total of the results or of an argument, or one per call.
const added = (add: Expr | undefined, group: GroupCounting, point: ReadPoint, run: CallRun): number => {
  if (!add) return run.calls;
  if (add.kind === 'var') return added(boundVariable(group, add.name), group, point, run);
  if (add.kind === 'ret') readReturn(point);
  if (add.kind === 'arg') readArgument(point, group, add.name);
  const total = add.kind === 'ret' ? run.sums.returned : add.kind === 'arg' ? run.sums.args[add.name] : undefined;
  if (total === undefined) throw new Unreadable('a value the workload does not total');
  return total;
};

/** What the run adds to each counter the updates name; an update whose values the run lacks adds nothing. */
export const evaluateUpdates = (updates: readonly Update[], group: GroupCounting, point: ReadPoint, run: CallRun): Amounts => {
  const amounts: Amounts = {};
  for (const update of updates) {
    try {
      if (!(update.when ?? []).every((condition) => value(condition, group, point, run) !== 0)) continue;
      amounts[update.counter] = (amounts[update.counter] ?? 0) + added(update.add, group, point, run);
    } catch (error) {
      if (!(error instanceof Unreadable)) throw error;
    }
  }
  return amounts;
};
