// SPDX-License-Identifier: GPL-3.0-or-later
// Judging unfiltered (system-wide) counts: the window holds the workload plus whatever else the host did, so
// a counter must reach the workload's number and may exceed it only by the host's own measured activity.
import type { CounterId } from '../plan/counters.js';

/** What the host did by itself: each counter's increase in every interval measured around the workload's window. */
export type Background = ReadonlyMap<CounterId, readonly number[]>;

export type SystemWideVerdict = 'ok' | 'BELOW' | 'ABOVE';

export interface SystemWideJudgement {
  readonly verdict: SystemWideVerdict;
  /** Counted minus expected. */
  readonly excess: number;
  /** The most the excess may be: twice the busiest background interval, for every interval of the window. */
  readonly allowance: number;
}

// Twice the busiest interval: the host's own rate wanders (timers, the tracer's own output). A call counter
// that stayed at zero in the background may still see a stray call: one per interval is allowed, which a
// doubled count of the workload's still exceeds. Byte counters get no such floor: the tracer's own output
// makes read and write bytes busy in every interval.
const headroom = 2;
const strayCallsPerInterval = 1;

export const backgroundIncreases = (
  samples: readonly { get(counter: CounterId): bigint | undefined }[],
  counters: readonly CounterId[],
): Background =>
  new Map(
    counters.map((counter) => [
      counter,
      samples.slice(1).map((sample, index) => Number((sample.get(counter) ?? 0n) - (samples[index]!.get(counter) ?? 0n))),
    ]),
  );

export const judgeSystemWide = (
  counter: CounterId,
  expected: number,
  counted: number,
  background: readonly number[],
  intervals: number,
): SystemWideJudgement => {
  const floor = counter.endsWith('_bytes') ? 0 : strayCallsPerInterval;
  const allowance = Math.max(headroom * Math.max(0, ...background), floor) * intervals;
  const excess = counted - expected;
  return { verdict: excess < 0 ? 'BELOW' : excess > allowance ? 'ABOVE' : 'ok', excess, allowance };
};
