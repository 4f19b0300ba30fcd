// SPDX-License-Identifier: GPL-3.0-or-later
// What each read point offers (src/plan/readable-values.ts), asked of all three readers: the bpftrace renderer,
// the helper's C renderer and the selftest's evaluation accept and refuse the same values at every point.
import test from 'ava';
import { dialectFor } from '../../src/backend/bpftrace/dialect.js';
import { renderExpr } from '../../src/backend/bpftrace/render-expr.js';
import { renderC } from '../../src/backend/helper/c-sources/render-c-expr.js';
import { probeCatalogue } from '../../src/plan/catalogue.js';
import { groupCounting, syscallReturns } from '../../src/plan/choose-attach.js';
import type { ResolvedGroup } from '../../src/plan/plan-types.js';
import { arg, compare, type Expr, member, ret, stash, userU64, variable } from '../../src/plan/probe-expr.js';
import { type ReadPoint, readPoints, stashPoint, Unreadable } from '../../src/plan/readable-values.js';
import { evaluateUpdates, type CallRun } from '../../src/selftest/evaluate-updates.js';

// A group with one typed pointer argument (p), one plain argument (count), a stash and one variable set.
const group: ResolvedGroup = {
  program: 'demo',
  returns: 'status',
  targets: ['demo'],
  stashTargets: [],
  args: { p: { index: 0, type: 'struct task_struct *' }, count: { index: 2 } },
  vars: { requested: arg('count') },
  stash: compare(arg('count'), '>', 0),
};

const values: Readonly<Record<string, Expr>> = {
  ret,
  'declared argument': arg('count'),
  'declared typed argument': arg('p'),
  'undeclared argument (an event field)': arg('clone_flags'),
  'member of a typed argument': member(arg('p'), 'pid'),
  'member of an untyped argument': member(arg('count'), 'pid'),
  'user u64 at an argument': userU64(arg('count')),
  stash,
  'variable set': variable('requested'),
  'variable not set': variable('isThread'),
};

const reading = ['declared argument', 'declared typed argument', 'user u64 at an argument', 'variable set'];
// What each point reads, stated here by hand from the kernel's facts (BTF, registers, tracepoint formats).
const accepted: Readonly<Record<ReadPoint, readonly string[]>> = {
  fentry: [...reading, 'member of a typed argument', 'member of an untyped argument', 'stash'],
  fexit: ['ret', ...reading, 'member of a typed argument', 'member of an untyped argument', 'stash'],
  kprobe: [...reading, 'member of a typed argument', 'stash'],
  kretprobe: ['ret', 'stash'],
  syscall_entry: [...reading, 'stash'],
  syscall_exit: ['ret', 'stash'],
  task_event: [...reading, 'undeclared argument (an event field)', 'stash'],
  raw_tracepoint: [...reading, 'member of a typed argument', 'stash'],
};

const readBy = (read: () => unknown): boolean => {
  try {
    read();
    return true;
  } catch (error) {
    if (error instanceof Unreadable) return false;
    throw error;
  }
};

// An exit point that cannot read arguments reads the stash its entry took, from a map.
const fromMap = (point: ReadPoint): boolean => stashPoint(point) !== point;

const run: CallRun = {
  calls: 3,
  args: { count: 5, p: 7, clone_flags: 9 },
  userU64: { count: 11 },
  failed: false,
  sums: { returned: 0, args: {} },
};

const readers = {
  bpftrace: (expr: Expr, point: ReadPoint) =>
    readBy(() => renderExpr(expr, { point, dialect: dialectFor('0.17.0'), group, stashVariable: fromMap(point) })),
  helper: (expr: Expr, point: ReadPoint) => readBy(() => renderC(expr, { point, group, stashFromMap: fromMap(point) })),
  // The update counts its calls when the value could be read (no value here is -1).
  selftest: (expr: Expr, point: ReadPoint) =>
    evaluateUpdates([{ counter: 'open', when: [compare(expr, '!=', -1)] }], group, point, run).open === run.calls,
};

for (const point of readPoints) {
  test(`at ${point}, bpftrace, the helper and the selftest read the same values`, (t) => {
    for (const [name, expr] of Object.entries(values)) {
      const expected = accepted[point].includes(name);
      for (const [reader, reads] of Object.entries(readers)) {
        // The workload's calls carry no kernel struct: the selftest refuses a member where the point could read it.
        const wanted = reader === 'selftest' && expr.kind === 'member' ? false : expected;
        t.is(reads(expr, point), wanted, `${reader} ${wanted ? 'refused' : 'read'} ${name} at ${point}`);
      }
    }
  });
}

test("no task event has a return value: bpftrace refuses args.ret at task_newtask, as the helper's C always did", (t) => {
  const newtask = probeCatalogue.find((probe) => probe.id === 'task_create')!.tracepoints[0]!;
  const counting = { ...groupCounting(newtask, syscallReturns), targets: newtask.events!, stashTargets: [] };
  const context = { point: 'task_event', dialect: dialectFor('0.17.0'), group: counting, stashVariable: false } as const;
  t.throws(() => renderExpr(ret, context), { instanceOf: Unreadable, message: /no return value at task_event/ });
  t.throws(() => renderC(ret, { point: 'task_event', group: counting, stashFromMap: false }), { instanceOf: Unreadable });
  t.is(renderExpr(variable('isThread'), context), '((args->clone_flags & 0x10000) != 0)');
});
