// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluate the catalogue's updates (src/plan/catalogue.ts) for calls the workload made: the same definition the
// backends compile into the kernel, run here on what the workload says it passed and got back. The selftest's
// expectations are therefore the catalogue's own meaning, checked against what the kernel-side code counted.
import type { Update } from '../plan/catalogue-types.js';
import type { GroupCounting } from '../plan/choose-attach.js';
import type { CounterId } from '../plan/counters.js';
import type { Expr } from '../plan/probe-expr.js';

/** A run of identical calls: how many, their arguments and the sign of their result. */
export interface CallRun {
  readonly calls: number;
  /** Argument values by the catalogue's names (tracepoint fields): flags the conditions test. */
  readonly args: Readonly<Record<string, number>>;
  /** The u64 each named user-space pointer argument points to (clone3's struct clone_args). */
  readonly userU64?: Readonly<Record<string, number>>;
  /** Whether the calls returned an error; undefined on the entry side, which sees no result. */
  readonly failed?: boolean;
  /** Totals over the run, for updates that add a value: of the results (bytes returned) and of named arguments
   *  (the count asked for). */
  readonly sums: { readonly returned: number; readonly args: Readonly<Record<string, number>> };
}

export type Amounts = Partial<Record<CounterId, number>>;

class Unavailable extends Error {}

// A failed call returns a negative errno, a successful one a count or descriptor: the sign is what conditions test.
const value = (expr: Expr, group: GroupCounting, run: CallRun): number => {
  switch (expr.kind) {
    case 'ret':
      if (run.failed === undefined) throw new Unavailable('no result at entry');
      return run.failed ? -1 : 1;
    case 'arg': {
      const argument = run.args[expr.name];
      if (argument === undefined) throw new Unavailable(`the workload states no ${expr.name}`);
      return argument;
    }
    case 'userU64': {
      const pointed = expr.at.kind === 'arg' ? run.userU64?.[expr.at.name] : undefined;
      if (pointed === undefined) throw new Unavailable('the workload states no user buffer');
      return pointed;
    }
    case 'literal':
      return Number(expr.value);
    case 'stash':
    case 'var': {
      const bound = expr.kind === 'stash' ? group.stash : group.vars[expr.name];
      if (!bound) throw new Unavailable(`${expr.kind === 'stash' ? 'stash' : expr.name} is not set`);
      return value(bound, group, run);
    }
    case 'mask':
      return value(expr.value, group, run) & expr.bits;
    case 'compare': {
      const left = value(expr.left, group, run);
      const right = value(expr.right, group, run);
      const holds = { '<': left < right, '>': left > right, '==': left === right, '!=': left !== right }[expr.op];
      return holds ? 1 : 0;
    }
    case 'not':
      return value(expr.of, group, run) ? 0 : 1;
    case 'member':
      throw new Unavailable('kernel structs are not part of the syscall view');
  }
};

// The value an update adds over the whole run: a total of the results or of an argument, or one per call.
const added = (add: Expr | undefined, group: GroupCounting, run: CallRun): number => {
  if (!add) return run.calls;
  if (add.kind === 'var') {
    const bound = group.vars[add.name];
    if (!bound) throw new Unavailable(`${add.name} is not set`);
    return added(bound, group, run);
  }
  const total = add.kind === 'ret' ? run.sums.returned : add.kind === 'arg' ? run.sums.args[add.name] : undefined;
  if (total === undefined) throw new Unavailable('a value the workload does not total');
  return total;
};

/** What the run adds to each counter the updates name; an update whose values the run lacks adds nothing. */
export const evaluateUpdates = (updates: readonly Update[], group: GroupCounting, run: CallRun): Amounts => {
  const amounts: Amounts = {};
  for (const update of updates) {
    try {
      if (!(update.when ?? []).every((condition) => value(condition, group, run) !== 0)) continue;
      amounts[update.counter] = (amounts[update.counter] ?? 0) + added(update.add, group, run);
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
    }
  }
  return amounts;
};
