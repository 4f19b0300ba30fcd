// SPDX-License-Identifier: GPL-3.0-or-later
// Restart delays: quick after a run that worked for a while, growing while runs keep failing.
export const restartDelayMs = (consecutiveFailures: number): number => Math.min(30_000, 1000 * 2 ** Math.max(0, consecutiveFailures - 1));

/** Runs that end without a sample count as failures; this many in a row move to the other backend. */
export const failuresBeforeFallback = 4;

export interface BackoffPolicy {
  readonly restartDelayMs: (consecutiveFailures: number) => number;
  readonly failuresBeforeFallback: number;
}

/** What the plugin uses; tests of the failure policy pass shorter delays to the collector. */
export const defaultBackoff: BackoffPolicy = { restartDelayMs, failuresBeforeFallback };
