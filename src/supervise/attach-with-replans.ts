// SPDX-License-Identifier: GPL-3.0-or-later
// Plan, run, and when the backend exits having refused attach points, plan again without them: the loop the
// plugin and the selftest share.
import type { Plan, Refusal } from '../plan/plan-types.js';
import { refusalsOf } from './attach-refusals.js';
import type { BackendExit } from './run-backend.js';

/** Each re-plan refuses at least one attach point more, and a plan offers a few dozen (nine probes, three
 *  families, a handful of targets each): this bounds a backend that keeps reporting refusals it made up. */
export const maxReplans = 32;

/** What the caller makes of a run: its result, or to plan and run again with the refusals known so far (a restart). */
export type Decision<T> = { readonly result: T } | { readonly again: true };
/** How one run of a plan ended: decided, or with the backend's exit. */
export type RunEnd<T> = Decision<T> | { readonly exit: BackendExit };

export interface ReplanLoop<T> {
  /** The plan without the attach points refused so far. */
  readonly plan: (refused: readonly Refusal[]) => Plan;
  readonly run: (plan: Plan) => Promise<RunEnd<T>>;
  /** The backend exited before any sample and refused these attach points, unknown until now: about to re-plan. */
  readonly onRefused?: (fresh: readonly Refusal[]) => void;
  /** Any other exit: the caller decides. */
  readonly otherExit: (exit: BackendExit) => Promise<Decision<T>>;
  /** What the loop returns after maxReplans re-plans. */
  readonly gaveUp: () => T;
}

/** The line the plugin logs and selftest prints for each refusal it falls back from. */
export const fallingBack = (refusal: Refusal): string =>
  `falling back: ${refusal.attachPoint ?? `all ${refusal.family} probes`} (${refusal.reason})`;

const unknownRefusals = (exit: BackendExit, known: readonly Refusal[]): Refusal[] => {
  if (exit.samples > 0) return [];
  return refusalsOf(exit).filter(
    (refusal, index, all) =>
      ![...known, ...all.slice(0, index)].some((seen) => seen.family === refusal.family && seen.attachPoint === refusal.attachPoint),
  );
};

export const attachWithReplans = async <T>(loop: ReplanLoop<T>): Promise<T> => {
  const refused: Refusal[] = [];
  for (let replans = 0; replans <= maxReplans; ) {
    const end = await loop.run(loop.plan(refused));
    const fresh = 'exit' in end ? unknownRefusals(end.exit, refused) : [];
    if (fresh.length > 0) {
      refused.push(...fresh);
      replans += 1;
      loop.onRefused?.(fresh);
      continue;
    }
    const decision = 'exit' in end ? await loop.otherExit(end.exit) : end;
    if ('result' in decision) return decision.result;
  }
  return loop.gaveUp();
};
