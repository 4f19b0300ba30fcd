// SPDX-License-Identifier: GPL-3.0-or-later
// What counting per cgroup (`cgroups = yes`) and per command name (`apps = yes`) costs, in one run:
// 1. kernel ns per event (kernel.bpf_stats_enabled, the setup's own programs) of the floor, the keyed floors
//    (one lookup-or-insert and an add in a per-CPU hash keyed by cgroup id or comm, sized as the plugin's
//    tables), the local-storage candidates' floors (floor-process.ts, FloorStore) and each backend without and
//    with keys, entry mode, rounds interleaved; alone, this part is the bench's `floors` section;
// 2. node's and the backend's RSS and the BPF maps' memory at the start, middle and end of a churn of
//    short-lived processes through a few cgroups or under many names: flat means it does not grow with PIDs;
// 3. node's and the backend's CPU per second while hundreds of cgroups (or names) are present and active.
// The workloads are bench/micro.c's churn and active; the cgroups are made and removed by bench-cgroups.ts.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultConfig } from '../../src/config/defaults.js';
import { keyTableEntries } from '../../src/limits.js';
import type { KeyTable } from '../../src/plan/counter-keys.js';
import type { FloorKey } from '../lib/floor-process.js';
import { makeBenchCgroups, removeBenchCgroups } from '../lib/bench-cgroups.js';
import { nsPerRun, programsDuring } from '../lib/bpf-stats.js';
import type { BpftraceBuild } from '../lib/bpftrace-builds.js';
import { mapMemoryMiB } from '../lib/map-memory.js';
import { median } from '../lib/median.js';
import { activeProcesses, churnProcesses, nsPerOp, type Spread } from '../lib/micro-run.js';
import { startPlugin, type Backend } from '../lib/plugin-process.js';
import { cpuSeconds, rssMiB } from '../lib/proc-stats.js';
import { pluginArgs, setupName, startSetup, type PluginSetup, type Setup, type Who } from '../lib/setups.js';

export interface WhoOptions {
  readonly rounds: number;
  readonly backends: readonly Backend[];
  /** Every build for part 1; the first (the host's, oldest) for parts 2 and 3. */
  readonly bpftraceBuilds: readonly BpftraceBuild[];
  readonly floorPoints: readonly string[];
  /** Operations per kernel run of each workload in part 1. */
  readonly ops: { readonly read: number; readonly openclose: number };
  readonly churn: { readonly processes: number; readonly cgroups: number; readonly names: number };
  /** Part 3's load, and its large variant (the plugin's tables sized to hold it): growth from one to the other. */
  readonly active: {
    readonly cgroups: number;
    readonly names: number;
    readonly seconds: number;
    readonly warmupSeconds: number;
    readonly large: { readonly cgroups: number; readonly names: number };
  };
  /** Which parts run (`--keys-part`): all three in a full run. */
  readonly parts: readonly WhoPart[];
  /** The run's own directory, for the config files of the large load. */
  readonly configDir: string;
  readonly log: (line: string) => void;
}

export const whoParts = ['events', 'memory', 'cpu'] as const;
export type WhoPart = (typeof whoParts)[number];

export interface WhoEventRow {
  readonly workload: 'read' | 'openclose';
  readonly setup: string;
  readonly kernelNsPerEvent: number;
  readonly ratioToFloor: number;
  /** Over the keyed floor of the same key; undefined for setups without keys. */
  readonly ratioToKeyedFloor?: number;
  /** Over the same setup without keys: what the keys add per event. */
  readonly addedByKeysNs?: number;
}

export interface WhoMemorySample {
  readonly setup: string;
  readonly at: 'start' | 'middle' | 'end';
  readonly processesSoFar: number;
  readonly nodeRssMiB: number;
  readonly backendRssMiB: number;
  readonly mapMiB: number;
}

export interface WhoCpuRow {
  readonly setup: string;
  /** What was active: "500 cgroups" or "1000 names". */
  readonly workload: string;
  /** The measured window, after the warm-up. */
  readonly seconds: number;
  readonly nodeCorePercent: number;
  readonly backendCorePercent: number;
  readonly nodeRssMiB: number;
}

export interface WhoResult {
  readonly events: readonly WhoEventRow[];
  readonly memory: readonly WhoMemorySample[];
  readonly cpu: readonly WhoCpuRow[];
}

const keyTables: Readonly<Record<Who, KeyTable>> = {
  cgroups: { key: 'cgroup', entries: defaultConfig.cgroupTableSize },
  apps: { key: 'comm', entries: defaultConfig.appsTableSize },
};
const whos: readonly (Who | undefined)[] = [undefined, 'cgroups', 'apps'];
const workloads = ['read', 'openclose'] as const;

const pluginSetups = (options: WhoOptions, builds: readonly (BpftraceBuild | undefined)[]): PluginSetup[] =>
  options.backends.flatMap((backend) =>
    (backend === 'bpftrace' && builds.length > 0 ? builds : [undefined]).flatMap((bpftrace) =>
      whos.map(
        (who): PluginSetup => ({
          kind: 'plugin',
          backend,
          mode: 'entry',
          ...(bpftrace && backend === 'bpftrace' ? { bpftrace } : {}),
          ...(who ? { who } : {}),
        }),
      ),
    ),
  );

const floorSetup = (who?: Who): Setup => ({ kind: 'floor', mode: 'entry', ...(who ? { key: keyTables[who] } : {}) });
// The candidates for a key without a hash lookup per event, each sized as the plugin's table of its key.
const candidateFloors: readonly Setup[] = (
  [
    { key: 'task-cgroup', entries: keyTables.cgroups.entries },
    { key: 'cgroup-slot', entries: keyTables.cgroups.entries },
    { key: 'cgroup-total', entries: keyTables.cgroups.entries },
    { key: 'task-comm', entries: keyTables.apps.entries },
  ] as const satisfies readonly FloorKey[]
).map((key) => ({ kind: 'floor', mode: 'entry', key }));

// ---- 1. kernel ns per event

const eventSamples = async (setup: Setup, options: WhoOptions): Promise<Map<string, number>> => {
  const running = await startSetup(setup, { entry: options.floorPoints, return: [] });
  try {
    const pids = await running.pids();
    const perWorkload = new Map<string, number>();
    for (const workload of workloads) {
      perWorkload.set(workload, nsPerRun(await programsDuring(pids, () => nsPerOp(workload, options.ops[workload]))));
    }
    return perWorkload;
  } finally {
    await running.stop();
  }
};

const measureEvents = async (options: WhoOptions): Promise<WhoEventRow[]> => {
  const setups = [...whos.map(floorSetup), ...candidateFloors, ...pluginSetups(options, options.bpftraceBuilds)];
  const samples = new Map<string, number[]>();
  for (let round = 0; round < options.rounds; round++) {
    for (const setup of setups) {
      options.log(`who, per event: round ${round + 1}/${options.rounds}, ${setupName(setup)}`);
      for (const [workload, ns] of await eventSamples(setup, options)) {
        const key = `${workload}|${setupName(setup)}`;
        samples.set(key, [...(samples.get(key) ?? []), ns]);
      }
    }
  }
  const ns = (workload: string, setup: Setup) => median(samples.get(`${workload}|${setupName(setup)}`) ?? []);
  return workloads.flatMap((workload) =>
    setups.map((setup): WhoEventRow => {
      const who = setup.kind === 'plugin' ? setup.who : undefined;
      const own = ns(workload, setup);
      const withoutKeys = setup.kind === 'plugin' && who ? ns(workload, { ...setup, who: undefined }) : undefined;
      return {
        workload,
        setup: setupName(setup),
        kernelNsPerEvent: own,
        ratioToFloor: own / ns(workload, floorSetup()),
        ...(who ? { ratioToKeyedFloor: own / ns(workload, floorSetup(who)) } : {}),
        ...(withoutKeys === undefined ? {} : { addedByKeysNs: own - withoutKeys }),
      };
    }),
  );
};

// ---- 2. memory through a churn of short-lived processes

const churnSpread = async (who: Who, options: WhoOptions): Promise<Spread> =>
  who === 'cgroups' ? { names: 0, cgroups: await makeBenchCgroups(options.churn.cgroups) } : { names: options.churn.names };

const measureMemoryOf = async (setup: PluginSetup & { who: Who }, options: WhoOptions): Promise<WhoMemorySample[]> => {
  const spread = await churnSpread(setup.who, options);
  const plugin = await startPlugin(setup.backend, setup.mode, pluginArgs(setup));
  try {
    const backendPids = await plugin.backendPids();
    const samples: WhoMemorySample[] = [];
    const sample = async (at: WhoMemorySample['at'], processesSoFar: number) => {
      await sleep(2000); // two updates: the plugin has read and charted what the churn left
      samples.push({
        setup: setupName(setup),
        at,
        processesSoFar,
        nodeRssMiB: await rssMiB(plugin.pid),
        backendRssMiB: (await Promise.all(backendPids.map(rssMiB))).reduce((sum, each) => sum + each, 0),
        mapMiB: await mapMemoryMiB(backendPids),
      });
    };
    await sample('start', 0);
    const half = await churnProcesses(options.churn.processes / 2, spread);
    await sample('middle', half);
    await sample('end', half + (await churnProcesses(options.churn.processes / 2, spread)));
    return samples;
  } finally {
    await plugin.stop();
    removeBenchCgroups();
  }
};

// ---- 3. plugin CPU with many cgroups or names active

/** The cgroups or names active, and the plugin's flags: with more than its default tables hold (the large load),
 *  a config file sizes them, with room for the host's own cgroups and names. */
interface ActiveLoad {
  readonly cgroups: number;
  readonly names: number;
  readonly configDir: string;
}

const largeLoadArgs = async (setup: PluginSetup, load: ActiveLoad): Promise<string[]> => {
  const room = (count: number) => Math.min(keyTableEntries.max, Math.ceil((count * 1.2) / 1024) * 1024);
  const path = join(load.configDir, `${setup.backend}-${setup.who ?? 'none'}-${load.cgroups}-${load.names}.conf`);
  await writeFile(
    path,
    [
      '[global]',
      ...(setup.bpftrace ? [`    backend = bpftrace`, `    bpftrace path = ${setup.bpftrace.path}`] : []),
      `    cgroup table size = ${room(load.cgroups)}`,
      `    apps table size = ${room(load.names)}`,
      '',
    ].join('\n'),
  );
  return ['--config', path, ...(setup.who ? [`--${setup.who}`] : [])];
};

const measureCpuOf = async (setup: PluginSetup, load: ActiveLoad, options: WhoOptions): Promise<WhoCpuRow> => {
  const { active } = options;
  const large = load.cgroups > keyTables.cgroups.entries || load.names > keyTables.apps.entries;
  const spread: Spread = setup.who === 'apps' ? { names: load.names } : { names: 0, cgroups: await makeBenchCgroups(load.cgroups) };
  const workload = spread.cgroups ? `${load.cgroups} cgroups` : `${load.names} names`;
  // The workload outlives the plugin's start, warm-up and window; it ends on its own a little after.
  const running = activeProcesses(active.warmupSeconds + active.seconds + 8, spread);
  try {
    const plugin = await startPlugin(setup.backend, setup.mode, large ? await largeLoadArgs(setup, load) : pluginArgs(setup));
    try {
      const backendPids = await plugin.backendPids();
      await sleep(active.warmupSeconds * 1000);
      const cpu = () => Promise.all([plugin.pid, ...backendPids].map(cpuSeconds));
      const startedAt = performance.now();
      const [nodeBefore = 0, ...backendBefore] = await cpu();
      await sleep(active.seconds * 1000);
      const [nodeAfter = 0, ...backendAfter] = await cpu();
      const seconds = (performance.now() - startedAt) / 1000;
      const backendCpu = backendAfter.reduce((sum, after, index) => sum + after - (backendBefore[index] ?? 0), 0);
      return {
        setup: setupName(setup),
        workload,
        seconds,
        nodeCorePercent: ((nodeAfter - nodeBefore) / seconds) * 100,
        backendCorePercent: (backendCpu / seconds) * 100,
        nodeRssMiB: await rssMiB(plugin.pid),
      };
    } finally {
      await plugin.stop();
    }
  } finally {
    await running;
    removeBenchCgroups();
  }
};

export const measureWhoCost = async (options: WhoOptions): Promise<WhoResult> => {
  const events = options.parts.includes('events') ? await measureEvents(options) : [];
  // Parts 2 and 3 run each backend once: the helper and the host's bpftrace (the first build).
  const hostSetups = pluginSetups(options, options.bpftraceBuilds.slice(0, 1));
  const memory: WhoMemorySample[] = [];
  for (const setup of options.parts.includes('memory') ? hostSetups : []) {
    if (!setup.who) continue;
    options.log(`who, memory: ${setupName(setup)}, ${options.churn.processes} short-lived processes`);
    memory.push(...(await measureMemoryOf({ ...setup, who: setup.who }, options)));
  }
  const cpu: WhoCpuRow[] = [];
  const { active, configDir } = options;
  // Each keyed setup also at the large load, right after the same setup at the usual one: growth side by side.
  const loads = (setup: PluginSetup): ActiveLoad[] => [
    { cgroups: active.cgroups, names: active.names, configDir },
    ...(setup.who ? [{ ...active.large, configDir }] : []),
  ];
  for (const setup of options.parts.includes('cpu') ? hostSetups : []) {
    for (const load of loads(setup)) {
      options.log(
        `who, plugin CPU: ${setupName(setup)}, ${setup.who === 'apps' ? `${load.names} names` : `${load.cgroups} cgroups`}, ` +
          `${active.seconds} s after ${active.warmupSeconds} s`,
      );
      cpu.push(await measureCpuOf(setup, load, options));
    }
  }
  return { events, memory, cpu };
};
