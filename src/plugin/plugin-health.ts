// SPDX-License-Identifier: GPL-3.0-or-later
// The plugin's own trouble as counters for ebpf.plugin_health, and a cap on how much of it reaches stderr:
// a backend spewing garbage must not flood Netdata's error log, the chart still counts every line.
import { healthCounterIds, type HealthCounterId } from '../charts/catalogue.js';
import { configKeys } from '../config/defaults.js';
import type { CounterKey } from '../plan/counter-keys.js';

/** Per key table: the setting that sizes it, and the plugin_health dimension of the events it could not count. */
const keyTables: Readonly<Record<CounterKey, { setting: string; overTable: HealthCounterId }>> = {
  cgroup: { setting: configKeys.cgroupTableSize, overTable: 'events_over_cgroup_table' },
  comm: { setting: configKeys.appsTableSize, overTable: 'events_over_apps_table' },
};

/** Problems logged per backend run; the rest are only counted. */
export const loggedProblemsPerRun = 5;

export class PluginHealth {
  private readonly counts = new Map<HealthCounterId, bigint>(healthCounterIds.map((id) => [id, 0n]));
  private loggedThisRun = 0;
  private skippedThisRun = 0n;
  private readonly unkeyedThisRun = new Map<CounterKey, bigint>();
  /** Tables said full on stderr: once each for the plugin's life, however many runs and cgroups. */
  private readonly saidFull = new Set<CounterKey>();

  /** tableSizes: each key table's entries, for the message that says it is full. */
  constructor(
    private readonly log: (message: string) => void,
    private readonly tableSizes: Partial<Record<CounterKey, number>> = {},
  ) {}

  add(counter: HealthCounterId, amount: number | bigint = 1): void {
    this.counts.set(counter, this.counts.get(counter)! + BigInt(amount));
  }

  /** A new backend run may log its first problems again. */
  startRun(): void {
    this.loggedThisRun = 0;
    this.skippedThisRun = 0n;
    this.unkeyedThisRun.clear();
  }

  /** The runs the kernel skipped for the current backend run's programs so far (their recursion_misses): a total
   *  that starts at 0 with each run, of which skipped_events gets what is new. */
  skippedInRun(total: bigint): void {
    if (total <= this.skippedThisRun) return;
    this.add('skipped_events', total - this.skippedThisRun);
    this.skippedThisRun = total;
  }

  /** The events of the current backend run that a key's table was too full to count, a total that starts at 0 with
   *  each run: what is new goes to the table's dimension, and the first is said on stderr. */
  unkeyedInRun(key: CounterKey, total: bigint): void {
    const before = this.unkeyedThisRun.get(key) ?? 0n;
    if (total <= before) return;
    this.add(keyTables[key].overTable, total - before);
    this.unkeyedThisRun.set(key, total);
    this.tableFull(
      key,
      `the events of other ${key === 'cgroup' ? 'cgroups' : 'names'} are counted on the host charts only`,
      keyTables[key].overTable,
    );
  }

  /** A key's table is full: said once for the plugin's life (whichever of its signs comes first), with the
   *  dimension that counts what it left out and the setting to raise. */
  tableFull(key: CounterKey, what: string, dimension: HealthCounterId): void {
    if (this.saidFull.has(key)) return;
    this.saidFull.add(key);
    const { setting } = keyTables[key];
    const size = this.tableSizes[key];
    this.log(
      `${setting}${size === undefined ? '' : ` = ${size}`} is full: ${what} (ebpf.plugin_health ${dimension}); ` +
        `raise ${setting} in ebpf_process.conf`,
    );
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
