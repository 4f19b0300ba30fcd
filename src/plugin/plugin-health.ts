// SPDX-License-Identifier: GPL-3.0-or-later
// The plugin's own trouble as counters for ebpf.plugin_health, and a cap on how much of it reaches stderr:
// a backend spewing garbage must not flood Netdata's error log, the chart still counts every line.
import { healthCounterIds, type HealthCounterId } from '../charts/catalogue.js';

/** Problems logged per backend run; the rest are only counted. */
export const loggedProblemsPerRun = 5;

export class PluginHealth {
  private readonly counts = new Map<HealthCounterId, bigint>(healthCounterIds.map((id) => [id, 0n]));
  private loggedThisRun = 0;
  private skippedThisRun = 0n;

  constructor(private readonly log: (message: string) => void) {}

  add(counter: HealthCounterId, amount: number | bigint = 1): void {
    this.counts.set(counter, this.counts.get(counter)! + BigInt(amount));
  }

  /** A new backend run may log its first problems again. */
  startRun(): void {
    this.loggedThisRun = 0;
    this.skippedThisRun = 0n;
  }

  /** The runs the kernel skipped for the current backend run's programs so far (their recursion_misses): a total
   *  that starts at 0 with each run, of which skipped_events gets what is new. */
  skippedInRun(total: bigint): void {
    if (total <= this.skippedThisRun) return;
    this.add('skipped_events', total - this.skippedThisRun);
    this.skippedThisRun = total;
  }

  /** Log a problem of the current run unless it already logged its share. */
  report(message: string): void {
    this.loggedThisRun += 1;
    if (this.loggedThisRun <= loggedProblemsPerRun) this.log(message);
    if (this.loggedThisRun === loggedProblemsPerRun)
      this.log('further problems of this backend run are only counted in ebpf.plugin_health');
  }

  snapshot(): ReadonlyMap<HealthCounterId, bigint> {
    return new Map(this.counts);
  }
}
