// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel CPU budget's decisions: window, order of the steps, hysteresis and the growing hold.
import test from 'ava';
import {
  initialBudget,
  observeBudget,
  stepUpShare,
  type BudgetAction,
  type BudgetPolicy,
  type BudgetState,
} from '../../src/plugin/budget.js';
import type { ProbeFamily } from '../../src/plan/catalogue-types.js';

const policy: BudgetPolicy = { maxPercent: 2, windowUpdates: 3, mode: 'return' };

/** One interval: kernel CPU in percent, and the family that took most of it. */
const cost = (kernelPercent: number, costliest: ProbeFamily = 'vfs') => ({
  kernelPercent,
  familyNs: new Map<ProbeFamily, number>([
    ['file', 10],
    ['vfs', 20],
    ['process', 30],
    [costliest, 1000],
  ]),
});

const feed = (start: BudgetState, percents: readonly number[], family?: ProbeFamily, given = policy) => {
  let state = start;
  const actions: Array<BudgetAction & { at: number }> = [];
  percents.forEach((percent, at) => {
    const result = observeBudget(given, state, cost(percent, family));
    state = result.state;
    if (result.action) actions.push({ ...result.action, at });
  });
  return { state, actions };
};

const describe = (action: BudgetAction): string => `${action.direction} ${action.step.kind === 'mode' ? 'mode' : action.step.family}`;

test('a window over the budget steps down, a shorter burst does not', (t) => {
  t.deepEqual(feed(initialBudget(policy), [5, 5, 1, 5, 5, 1]).actions, [], 'two updates over, then one under: no step');
  const { actions } = feed(initialBudget(policy), [5, 5, 5]);
  t.deepEqual(actions.map(describe), ['down mode']);
  t.is(actions[0]!.at, 2, 'on the third update over');
  t.regex(actions[0]!.reason, /kernel CPU 5% of a core over 3 updates, above max kernel cpu = 2%/);
});

test('return mode goes first, then the costliest family; the last family is never dropped', (t) => {
  const { actions, state } = feed(initialBudget(policy), Array(15).fill(9), 'process');
  t.deepEqual(actions.map(describe), ['down mode', 'down process', 'down vfs']);
  t.deepEqual(
    state.steps.map((step) => (step.kind === 'mode' ? 'mode' : step.family)),
    ['mode', 'process', 'vfs'],
  );
  const entry = feed(initialBudget({ ...policy, mode: 'entry' }), [9, 9, 9], 'file', { ...policy, mode: 'entry' });
  t.deepEqual(entry.actions.map(describe), ['down file'], 'entry mode has no mode step');
});

test('stepping up needs a window under half the budget after the hold, and undoes the last step first', (t) => {
  const down = feed(initialBudget(policy), [9, 9, 9, 9, 9, 9]);
  t.deepEqual(down.actions.map(describe), ['down mode', 'down vfs']);
  const between = (policy.maxPercent * (stepUpShare + 1)) / 2;
  t.deepEqual(feed(down.state, Array(40).fill(between)).actions, [], 'between half the budget and the budget: no step either way');
  const hold = down.state.hold;
  const up = feed(down.state, Array(2 * hold).fill(0.1));
  t.deepEqual(up.actions.map(describe), ['up vfs', 'up mode']);
  t.is(up.actions[0]!.at, hold - 1, 'not before the hold since the last step');
  t.deepEqual(up.state.steps, []);
});

test('a step down right after a step up doubles the hold, so a persisting load is retried less often', (t) => {
  const entry: BudgetPolicy = { ...policy, mode: 'entry' };
  let { state } = feed(initialBudget(entry), [9, 9, 9], 'vfs', entry);
  const holds = [state.hold];
  for (let round = 0; round < 3; round += 1) {
    // Without vfs the rest is cheap, so the budget tries vfs again; the load is still there.
    state = feed(state, Array(state.hold).fill(0.1), 'vfs', entry).state;
    t.deepEqual(state.steps, [], `round ${round}: stepped up`);
    state = feed(state, [9, 9, 9], 'vfs', entry).state;
    t.deepEqual(state.steps, [{ kind: 'family', family: 'vfs' }], `round ${round}: stepped down again`);
    holds.push(state.hold);
  }
  t.deepEqual(holds, [9, 18, 36, 72]);
  const capped = feed(
    state,
    Array(2000)
      .flatMap(() => [...Array(state.hold).fill(0.1), 9, 9, 9])
      .slice(0, 3000),
    'vfs',
    entry,
  ).state;
  t.true(capped.hold <= 64 * entry.windowUpdates, 'the hold stops growing at 64 windows');
});
