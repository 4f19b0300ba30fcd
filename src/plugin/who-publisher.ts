// SPDX-License-Identifier: GPL-3.0-or-later
// Who, not only how much: the per-cgroup charts (cgroups = yes) and the per-application charts (apps = yes), fed by
// the counters the kernel keeps per cgroup id and per command name (src/plan/counter-keys.ts).
import type { AppChartsUpdate } from '../apps/app-chart-updates.js';
import { AppChartsTracker } from '../apps/app-chart-updates.js';
import type { LoadedGroups } from '../apps/load-groups.js';
import type { CgroupDiscovery } from '../cgroups/cgroup-discovery.js';
import { CgroupRegistry } from '../cgroups/cgroup-registry.js';
import type { NamedCgroup } from '../cgroups/name-cgroups.js';
import type { CgroupChartInstance } from '../charts/cgroup-chart-instances.js';
import { cgroupChartUpdate } from '../charts/cgroup-chart-update.js';
import type { KeyTable } from '../plan/counter-keys.js';
import { counterIds, type CounterId, type Mode } from '../plan/counters.js';
import { appChartLines } from '../protocol/app-chart-lines.js';
import { cgroupChartDefinitionLines, obsoleteCgroupChartLines } from '../protocol/cgroup-chart-lines.js';
import { dataBlockLines } from '../protocol/data-block-lines.js';
import { KeyedTotals } from '../samples/keyed-totals.js';
import type { KeyedSample } from '../samples/sample-assembler.js';
import type { PluginHealth } from './plugin-health.js';

export interface WhoOptions {
  /** cgroups = yes: the cgroups on disk, named as Netdata names them. */
  readonly cgroups?: { readonly tableSize: number; readonly discovery: CgroupDiscovery };
  /** apps = yes: apps_groups.conf's groups. */
  readonly apps?: { readonly tableSize: number; readonly groups: LoadedGroups };
}

/** The key tables the plan asks the backend to keep. */
export const keyTablesOf = (who: WhoOptions | undefined): KeyTable[] => [
  ...(who?.cgroups ? [{ key: 'cgroup' as const, entries: who.cgroups.tableSize }] : []),
  ...(who?.apps ? [{ key: 'comm' as const, entries: who.apps.tableSize }] : []),
];

export class WhoPublisher {
  private readonly totals = new KeyedTotals();
  private readonly registry: CgroupRegistry | undefined;
  private cgroupCharts: readonly CgroupChartInstance[] = [];
  private readonly overTable = new Set<bigint>();
  private readonly apps: AppChartsTracker | undefined;
  private appsFullSaid = false;
  private scanning: Promise<void> | undefined;
  private lastAt: bigint | undefined;

  constructor(private readonly who: WhoOptions, mode: Mode, private readonly updateEvery: number,
    private readonly health: PluginHealth, private readonly log: (message: string) => void) {
    this.registry = who.cgroups && new CgroupRegistry(who.cgroups.tableSize);
    this.apps = who.apps && new AppChartsTracker(who.apps.groups.groups, mode, who.apps.groups.groupOf);
  }

  startRun(): void {
    this.totals.startRun();
  }

  /** Looks for cgroups that appeared or went away; what it finds is charted from the next sample on. */
  async refresh(): Promise<void> {
    if (!this.who.cgroups || !this.registry) return;
    const present = await this.who.cgroups.discovery.scan();
    const { gone } = this.registry.refresh(present);
    gone.forEach((cgroup) => this.totals.forget('cgroup', String(cgroup.id)));
    this.countOverTable(present);
  }

  /** The protocol lines of one sample: per-cgroup charts (new ones defined, gone ones obsolete), then the apps. */
  lines(keyed: KeyedSample, collected: ReadonlySet<CounterId>, mode: Mode, now: bigint = process.hrtime.bigint()): string[] {
    for (const { key, from, to } of this.totals.update(keyed)) {
      this.health.add('parse_errors');
      this.health.report(`total of ${key} went back from ${from} to ${to} (garbled or out-of-order output); kept ${from}`);
    }
    const microseconds = this.lastAt === undefined ? undefined : Number(now - this.lastAt) / 1000;
    this.lastAt = now;
    // The scan runs beside the samples: a slow cgroupfs delays the next charts, never this sample.
    this.scanning ??= this.refresh().catch((error: unknown) => this.log(`cgroup scan failed: ${String(error)}`))
      .finally(() => { this.scanning = undefined; });
    return [...this.cgroupLines(collected, mode, microseconds), ...this.appLines(collected, microseconds)];
  }

  private cgroupLines(collected: ReadonlySet<CounterId>, mode: Mode, microseconds: number | undefined): string[] {
    if (!this.registry) return [];
    const perCgroup = new Map([...this.totals.totalsOf('cgroup', counterIds)].map(([id, totals]) => [BigInt(id), totals]));
    const update = cgroupChartUpdate(this.cgroupCharts, this.registry.followed, mode, perCgroup, collected);
    this.cgroupCharts = update.charts;
    return [
      ...update.obsolete.flatMap((chart) => obsoleteCgroupChartLines(chart, this.updateEvery)),
      ...update.define.flatMap(({ chart, obsoleteDimensions }) => cgroupChartDefinitionLines(chart, this.updateEvery, obsoleteDimensions)),
      ...update.charts.flatMap((chart) => dataBlockLines(chart, update.values.get(chart.key)!, microseconds, chart.type)),
    ];
  }

  private appLines(collected: ReadonlySet<CounterId>, microseconds: number | undefined): string[] {
    if (!this.apps || !this.who.apps) return [];
    const perComm = this.totals.totalsOf('comm', counterIds);
    if (perComm.size >= this.who.apps.tableSize && !this.appsFullSaid) {
      this.appsFullSaid = true;
      this.log(`apps table size = ${this.who.apps.tableSize} is full: tasks with other names are counted on the host charts only; raise it in ebpf_process.conf`);
    }
    const update: AppChartsUpdate = this.apps.update(perComm, collected);
    return appChartLines(update, this.updateEvery, microseconds);
  }

  // Each cgroup that finds the table full is counted once in ebpf.plugin_health and said on stderr the first time.
  private countOverTable(present: readonly NamedCgroup[]): void {
    const followed = new Set(this.registry!.followed.map((cgroup) => cgroup.id));
    const fresh = present.filter((cgroup) => !followed.has(cgroup.id) && !this.overTable.has(cgroup.id));
    if (fresh.length === 0) return;
    if (this.overTable.size === 0) {
      this.log(`cgroup table size = ${this.who.cgroups!.tableSize} is full: ${fresh.length} more cgroups are counted on the host charts only; raise it in ebpf_process.conf`);
    }
    fresh.forEach((cgroup) => this.overTable.add(cgroup.id));
    this.health.add('cgroups_over_table', fresh.length);
  }
}
