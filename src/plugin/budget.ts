// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel CPU budget (`max kernel cpu`): pure decisions, one per update, on what the collector's programs
// cost. Over the budget for a whole window: step down, return mode to entry mode first (the exit-side
// programs and their error charts go, the calls are still counted), then the costliest family over the
// window, never the last one. Back up one step at a time, the last step first, once the cost stayed under
// half the budget for a window and the hold since the last change has passed. A step down soon after a
// step up (within the hold) doubles the hold, up to 64 windows: a load that persists is tried less and less.
import { probeFamilies, type ProbeFamily } from '../plan/catalogue-types.js';
import type { Mode } from '../plan/counters.js';
import type { CostInterval } from '../self-cost/self-cost.js';

export type BudgetStep = { readonly kind: 'mode' } | { readonly kind: 'family'; readonly family: ProbeFamily };

export interface BudgetPolicy {
  /** Percent of one core the programs may take. */
  readonly maxPercent: number;
  /** Updates the cost must stay over (to step down) or under half (to step up) the budget. */
  readonly windowUpdates: number;
  /** The configured mode: only return mode has a mode step. */
  readonly mode: Mode;
}

export interface BudgetState {
  /** Applied steps, oldest first. */
  readonly steps: readonly BudgetStep[];
  /** The consecutive intervals over the budget, at most a window of them. */
  readonly over: readonly CostInterval[];
  /** Consecutive intervals under half the budget. */
  readonly under: number;
  /** Updates since the last step. */
  readonly sinceChange: number;
  /** Updates to wait after a step before stepping up. */
  readonly hold: number;
  readonly lastDirection: 'down' | 'up' | undefined;
}

export interface BudgetAction {
  readonly direction: 'down' | 'up';
  readonly step: BudgetStep;
  /** For stderr and the chart label: what was measured against what. */
  readonly reason: string;
}

/** Stepping up needs the cost under this share of the budget: the gap between the two is the hysteresis. */
export const stepUpShare = 0.5;
const baseHoldWindows = 3;
const maxHoldWindows = 64;

export const initialBudget = (policy: BudgetPolicy): BudgetState => ({
  steps: [],
  over: [],
  under: 0,
  sinceChange: 0,
  hold: baseHoldWindows * policy.windowUpdates,
  lastDirection: undefined,
});

export const describeStep = (step: BudgetStep): string => (step.kind === 'mode' ? 'return mode' : `the ${step.family} probes`);

export const budgetMode = (policy: BudgetPolicy, state: BudgetState): Mode =>
  state.steps.some((step) => step.kind === 'mode') ? 'entry' : policy.mode;

export const droppedFamilies = (state: BudgetState): ProbeFamily[] =>
  state.steps.flatMap((step) => (step.kind === 'family' ? [step.family] : []));

const percent = (value: number): string => `${Number(value.toFixed(2))}%`;

// Return mode first; then the family whose programs took the most kernel time over the window.
const nextStepDown = (policy: BudgetPolicy, state: BudgetState): BudgetStep | undefined => {
  if (policy.mode === 'return' && !state.steps.some((step) => step.kind === 'mode')) return { kind: 'mode' };
  const left = probeFamilies.filter((family) => !droppedFamilies(state).includes(family));
  if (left.length <= 1) return undefined;
  const cost = (family: ProbeFamily): number => state.over.reduce((total, sample) => total + (sample.familyNs.get(family) ?? 0), 0);
  const costliest = left.reduce((best, family) => (cost(family) > cost(best) ? family : best));
  return cost(costliest) > 0 ? { kind: 'family', family: costliest } : undefined;
};

const changed = (steps: readonly BudgetStep[], direction: 'down' | 'up', hold: number): BudgetState => ({
  steps,
  over: [],
  under: 0,
  sinceChange: 0,
  hold,
  lastDirection: direction,
});

export const observeBudget = (
  policy: BudgetPolicy,
  state: BudgetState,
  cost: CostInterval,
): { state: BudgetState; action?: BudgetAction } => {
  const window = policy.windowUpdates;
  const sinceChange = state.sinceChange + 1;
  if (cost.kernelPercent > policy.maxPercent) {
    const over = [...state.over, cost].slice(-window);
    const next = { ...state, over, under: 0, sinceChange };
    const step = over.length >= window ? nextStepDown(policy, next) : undefined;
    if (!step) return { state: next };
    const average = over.reduce((total, sample) => total + sample.kernelPercent, 0) / over.length;
    const flapped = state.lastDirection === 'up' && sinceChange <= state.hold;
    const hold = flapped ? Math.min(state.hold * 2, maxHoldWindows * window) : state.hold;
    return {
      state: changed([...state.steps, step], 'down', hold),
      action: {
        direction: 'down',
        step,
        reason:
          `kernel CPU ${percent(average)} of a core over ${over.length} ` + `updates, above max kernel cpu = ${percent(policy.maxPercent)}`,
      },
    };
  }
  const under = cost.kernelPercent < policy.maxPercent * stepUpShare ? state.under + 1 : 0;
  const next = { ...state, over: [], under, sinceChange };
  const step = state.steps[state.steps.length - 1];
  if (!step || under < window || sinceChange < state.hold) return { state: next };
  return {
    state: changed(state.steps.slice(0, -1), 'up', state.hold),
    action: {
      direction: 'up',
      step,
      reason: `kernel CPU under ${percent(policy.maxPercent * stepUpShare)} of a core (half of max kernel cpu) for ${under} updates`,
    },
  };
};
