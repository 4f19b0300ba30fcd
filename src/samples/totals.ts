// SPDX-License-Identifier: GPL-3.0-or-later
// Totals the plugin keeps itself: monotonic across backend restarts, so Netdata's incremental dimensions
// never see a counter go backwards (which it would draw as a huge spike or a gap).
import type { CounterId } from '../plan/counters.js';

export interface Regression<C extends string = CounterId> {
  readonly counter: C;
  readonly from: bigint;
  readonly to: bigint;
}

const noRegressions: readonly never[] = [];

/** Backend counters, or the self monitoring counters of a backend run (its programs and processes). */
export class Totals<C extends string = CounterId> {
  /** What earlier backend runs had counted when they ended. */
  private readonly base = new Map<C, bigint>();
  /** The current run's last totals. */
  private current = new Map<C, bigint>();
  /** Goes up with each update that changed a total: what was made of the totals can be kept while it stays. */
  #version = 0;
  /** The counters the update that made the version changed (one array, emptied by the next such update: thousands of
   *  keys' totals are updated every second). */
  readonly #changed: C[] = [];

  /** A new backend run counts from zero again. */
  startRun(): void {
    for (const [counter, value] of this.current) this.base.set(counter, (this.base.get(counter) ?? 0n) + value);
    this.current = new Map();
  }

  /** Returns the counters the sample would have lowered: a backend never clears its maps within a run, so a
   *  lower total is a garbled or out-of-order line. It is ignored; adding it would draw a spike later. */
  update(sample: ReadonlyMap<C, bigint>): readonly Regression<C>[] {
    let regressions: Regression<C>[] | undefined;
    let changed = 0;
    for (const [counter, value] of sample) {
      const previous = this.current.get(counter);
      if (value < (previous ?? 0n)) {
        regressions ??= [];
        regressions.push({ counter, from: previous ?? 0n, to: value });
      } else if (value !== previous) {
        this.current.set(counter, value);
        // Written in place: emptying the array (length = 0) would make it allocate again.
        this.#changed[changed++] = counter;
      }
    }
    if (changed === 0) return regressions ?? noRegressions;
    if (this.#changed.length !== changed) this.#changed.length = changed;
    this.#version += 1;
    return regressions ?? noRegressions;
  }

  get(counter: C): bigint | undefined {
    // Read for every per-cgroup chart each update: no sum (a new bigint) unless a restart left a base.
    const current = this.current.get(counter);
    const base = this.base.size === 0 ? undefined : this.base.get(counter);
    if (base === undefined) return current;
    return current === undefined ? base : base + current;
  }

  get version(): number {
    return this.#version;
  }

  /** The counters whose totals the update that made `version` changed: what a reader one version behind reads again. */
  get changed(): readonly C[] {
    return this.#changed;
  }

  has(counter: C): boolean {
    return this.get(counter) !== undefined;
  }
}
