// SPDX-License-Identifier: GPL-3.0-or-later
// Who, not only how much: the per-cgroup charts (cgroups = yes) and the per-application charts (apps = yes), fed by
// the counters the kernel keeps per cgroup id and per command name (src/plan/counter-keys.ts).
import { type AppChartsUpdate, AppChartsTracker } from '../apps/app-chart-updates.js';
import type { LoadedGroups } from '../apps/load-groups.js';
import type { CgroupDiscovery, NamedCgroup } from '../cgroups/cgroup-discovery.js';
import { CgroupRegistry } from '../cgroups/cgroup-registry.js';
import { cgroupChartChanges } from '../charts/cgroup-chart-changes.js';
import { cgroupDimensionValues } from '../charts/cgroup-chart-values.js';
import {
  cgroupChartInstances,
  servicesChartType,
  type CgroupChartInstance,
  type CgroupDimension,
} from '../charts/cgroup-chart-instances.js';
import { keyedCounters } from '../plan/counter-sources.js';
import type { Plan } from '../plan/plan-types.js';
import type { ProtocolOutput } from '../protocol/output-stream.js';
import type { CounterId, Mode } from '../plan/counters.js';
import { appChartLines } from '../protocol/app-chart-lines.js';
import { cgroupChartDefinitionLines, obsoleteCgroupChartLines } from '../protocol/cgroup-chart-lines.js';
import { ReadyBlocks, type ValuesStamp } from '../protocol/data-block-lines.js';
import type { ProtocolBytes } from '../protocol/protocol-bytes.js';
import { KeyedTotals } from '../samples/keyed-totals.js';
import type { KeyedSample } from '../samples/sample-assembler.js';
import type { PluginHealth } from './plugin-health.js';

export interface WhoOptions {
  /** cgroups = yes: the cgroups on disk, named as Netdata names them. */
  readonly cgroups?: { readonly tableSize: number; readonly discovery: CgroupDiscovery };
  /** apps = yes: apps_groups.conf's groups. */
  readonly apps?: { readonly tableSize: number; readonly groups: LoadedGroups };
}

const sameCharts = (a: NamedCgroup, b: NamedCgroup): boolean =>
  a.id === b.id && a.name === b.name && a.kind === b.kind && a.charted === b.charted;

const sameCounters = (a: ReadonlySet<CounterId>, b: ReadonlySet<CounterId> | undefined): boolean =>
  b !== undefined && a.size === b.size && [...a].every((counter) => b.has(counter));

/** The data blocks of the charts of one type (a cgroup's charts, or the services charts), kept ready; a cgroup's
 *  values are read again only where its totals moved, the services' (one dimension per service) every update. */
interface TypeBlocks {
  readonly blocks: ReadyBlocks<CgroupDimension>;
  readonly cgroupKey: string | undefined;
}

/** The stamp of a cgroup the kernel has not counted yet: its values (zeros) are read once, then kept. */
const noTotals: ValuesStamp = { version: -1, changed: [] };

const typeBlocks = (charts: readonly CgroupChartInstance[]): TypeBlocks[] => {
  const byType = new Map<string, CgroupChartInstance[]>();
  for (const chart of charts) {
    const ofType = byType.get(chart.type);
    if (ofType) ofType.push(chart);
    else byType.set(chart.type, [chart]);
  }
  return [...byType].map(([type, ofType]) => ({
    blocks: new ReadyBlocks(ofType),
    cgroupKey: type === servicesChartType ? undefined : ofType[0]!.dimensions[0]!.cgroupKey,
  }));
};

/** Updates between two walks of the cgroup tree when nothing asks for one sooner: how soon what the kernel cannot
 *  tell is seen. With the cgroup tracepoints in the plan that is only an idle cgroup of before the start, removed
 *  (its charts stay at zero until then), so the walk (tens of ms at 500 cgroups) is rare; without them, frequent. */
export const rescanEvery = { withCgroupEvents: 60, withoutCgroupEvents: 10 } as const;

export class WhoPublisher {
  private readonly totals = new KeyedTotals();
  private readonly registry: CgroupRegistry | undefined;
  private cgroupCharts: readonly CgroupChartInstance[] = [];
  private cgroupBlocks: readonly TypeBlocks[] = [];
  /** The counters the ready blocks were made with: a plan that keeps others makes them again. */
  private blocksCollect: ReadonlySet<CounterId> | undefined;
  /** The charts' shape changes only when the followed cgroups do: rebuilt then, reused every other update. */
  private chartsFor: readonly NamedCgroup[] | undefined;
  /** Whether a walk ran since the charts were compared with the followed cgroups (a name may change in any walk). */
  private walked = true;
  private chartsMode: Mode | undefined;
  /** Cgroup ids the last walk found (or that it did not find but the kernel keeps counting: the root). */
  private readonly known = new Set<string>();
  private keyedBefore = new Set<string>();
  private updatesSinceScan = 0;
  private readonly overTable = new Set<bigint>();
  private readonly apps: AppChartsTracker | undefined;
  private scanning: Promise<void> | undefined;
  private lastAt: bigint | undefined;
  private mode: Mode;

  constructor(
    private readonly who: WhoOptions,
    mode: Mode,
    private readonly updateEvery: number,
    private readonly health: PluginHealth,
    private readonly output: Pick<ProtocolOutput, 'write'>,
    private readonly log: (message: string) => void,
  ) {
    this.mode = mode;
    this.registry = who.cgroups && new CgroupRegistry(who.cgroups.tableSize);
    this.apps = who.apps && new AppChartsTracker(who.apps.groups.groups, mode, who.apps.groups.groupOf);
  }

  startRun(): void {
    this.totals.startRun();
  }

  /** Looks for cgroups that appeared or went away; what it finds is charted from the next sample on. */
  async refresh(unknown: readonly string[] = []): Promise<void> {
    if (!this.who.cgroups || !this.registry) return;
    this.updatesSinceScan = 0;
    const present = await this.who.cgroups.discovery.scan();
    const { appeared, gone } = this.registry.refresh(present);
    gone.forEach((cgroup) => this.totals.forget('cgroup', String(cgroup.id)));
    if (appeared.length || gone.length) this.chartsFor = undefined;
    this.walked = true;
    this.known.clear();
    present.forEach((cgroup) => this.known.add(String(cgroup.id)));
    unknown.forEach((id) => this.known.add(id));
    this.countOverTable(present);
  }

  // Walking and naming every cgroup each update would cost the plugin more than all else at 500 cgroups: walk
  // when the kernel knows a cgroup the last walk did not see (made: cgroupEvents; or counted), when a cgroup's keys
  // vanish (the kernel forgot a removed cgroup), and every rescanEvery updates for what the kernel cannot tell
  // (a host without the cgroup tracepoints; an idle cgroup of before the start, removed).
  private scanWanted(keyed: KeyedSample, plan: Plan): string[] | undefined {
    const now = new Set<string>();
    const unknown: string[] = [];
    for (const id of keyed.get('cgroup')?.keys() ?? []) {
      now.add(id);
      if (!this.known.has(id)) unknown.push(id);
    }
    let vanished = false;
    for (const id of this.keyedBefore) if (!now.has(id)) vanished = true;
    this.keyedBefore = now;
    this.updatesSinceScan += 1;
    const every = plan.cgroupEvents ? rescanEvery.withCgroupEvents : rescanEvery.withoutCgroupEvents;
    return unknown.length || vanished || this.updatesSinceScan >= every ? unknown : undefined;
  }

  /** One sample's protocol text: per-cgroup charts (new ones defined, gone ones obsolete), then the apps. */
  write(keyed: KeyedSample, plan: Plan, into: ProtocolBytes, now: bigint = process.hrtime.bigint()): void {
    for (const { key, from, to } of this.totals.update(keyed)) {
      this.health.add('parse_errors');
      this.health.report(`total of ${key} went back from ${from} to ${to} (garbled or out-of-order output); kept ${from}`);
    }
    const microseconds = this.lastAt === undefined ? undefined : Number(now - this.lastAt) / 1000;
    this.lastAt = now;
    this.mode = plan.mode;
    // The scan runs beside the samples: a slow cgroupfs delays the next charts, never this sample. What it finds is
    // defined as soon as it ends, so a new cgroup's charts are there within the update; values follow each sample.
    const unknown = this.registry ? this.scanWanted(keyed, plan) : undefined;
    if (unknown) {
      this.scanning ??= this.refresh(unknown)
        .then(() => this.output.write(this.cgroupChartChanges()))
        .catch((error: unknown) => this.log(`cgroup scan failed: ${String(error)}`))
        .finally(() => {
          this.scanning = undefined;
        });
    }
    const kept = keyedCounters(plan);
    this.writeCgroups(kept, into);
    into.lines(this.appLines(kept, microseconds));
  }

  /** Definitions of the charts of cgroups followed since the last call, obsolete charts of those gone. */
  private cgroupChartChanges(): string[] {
    if (!this.registry) return [];
    if (!this.walked && this.chartsMode === this.mode) return [];
    this.walked = false;
    const followed = this.registry.followed;
    // A name may change without the set changing (Netdata's list arrived), and a budget step changes the mode:
    // compare what the charts are made of.
    const changed =
      this.chartsFor === undefined ||
      this.chartsMode !== this.mode ||
      this.chartsFor.length !== followed.length ||
      followed.some((cgroup, index) => !sameCharts(cgroup, this.chartsFor![index]!));
    if (!changed) return [];
    const charts = cgroupChartInstances(followed, this.mode);
    const changes = cgroupChartChanges(this.cgroupCharts, charts);
    this.cgroupCharts = charts;
    this.cgroupBlocks = typeBlocks(charts);
    this.blocksCollect = undefined;
    this.chartsFor = followed;
    this.chartsMode = this.mode;
    return [
      ...changes.obsolete.flatMap((chart) => obsoleteCgroupChartLines(chart, this.updateEvery)),
      ...changes.define.flatMap(({ chart, obsoleteDimensions }) => cgroupChartDefinitionLines(chart, this.updateEvery, obsoleteDimensions)),
    ];
  }

  private writeCgroups(collected: ReadonlySet<CounterId>, into: ProtocolBytes): void {
    if (!this.registry) return;
    into.lines(this.cgroupChartChanges());
    if (!sameCounters(collected, this.blocksCollect)) {
      this.cgroupBlocks = typeBlocks(this.cgroupCharts);
      this.blocksCollect = collected;
    }
    const perCgroup = this.totals.valuesOf('cgroup');
    const valueOf = cgroupDimensionValues(perCgroup, collected);
    for (const { blocks, cgroupKey } of this.cgroupBlocks) {
      blocks.write(valueOf, cgroupKey === undefined ? undefined : (perCgroup.get(cgroupKey) ?? noTotals), into);
    }
  }

  private appLines(collected: ReadonlySet<CounterId>, microseconds: number | undefined): string[] {
    if (!this.apps || !this.who.apps) return [];
    const perComm = this.totals.valuesOf('comm');
    const update: AppChartsUpdate = this.apps.update(perComm, collected);
    return appChartLines(update, this.updateEvery, microseconds);
  }

  // Each cgroup that finds the table full is counted once in ebpf.plugin_health and said on stderr the first time.
  private countOverTable(present: readonly NamedCgroup[]): void {
    const followed = new Set(this.registry!.followed.map((cgroup) => cgroup.id));
    const fresh = present.filter((cgroup) => !followed.has(cgroup.id) && !this.overTable.has(cgroup.id));
    if (fresh.length === 0) return;
    this.health.tableFull('cgroup', `${fresh.length} more cgroups are counted on the host charts only`, 'cgroups_over_table');
    fresh.forEach((cgroup) => this.overTable.add(cgroup.id));
    this.health.add('cgroups_over_table', fresh.length);
  }
}
