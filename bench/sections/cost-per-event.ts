// SPDX-License-Identifier: GPL-3.0-or-later
// Cost per traced event: each workload bare, under the floor and under the plugin (both backends, both
// modes), interleaved round by round, with a bare run before each mode's block. The figure is CPU time of
// the workload (its own and its reaped children's), which a busy neighbour inflates far less than wall
// time. Added cost is the median over rounds of (setup - bare of the same block); events per operation
// come from the floor's own count, not from assumptions. Samples taken while someone else's BPF program
// sat on a tracepoint are left out of a pair when clean rounds exist (a shared machine has other tracers).
// bpftrace is measured once per real build found (the host's and the chroot builds), so versions compare
// side by side against the same floor. Next to the CPU figure, each setup start runs every workload once
// more with kernel.bpf_stats_enabled=1 and reads the run time of the setup's own programs per run (a run
// is one event): the kernel's figure, which does not move with the neighbours' load nor with their events
// reaching our programs (the CPU runs go without the statistics, whose two
// clock reads per program run would be charged to every setup).
import { attachedTracepoints, foreignTracepoints } from '../lib/attached-tracepoints.js';
import { nsPerRun, programsDuring, type ProgramStats } from '../lib/bpf-stats.js';
import type { BpftraceBuild } from '../lib/bpftrace-builds.js';
import { median } from '../lib/median.js';
import { nsPerOp, type Workload } from '../lib/micro-run.js';
import type { Backend, Mode } from '../lib/plugin-process.js';
import { setupName, startSetup, type Setup } from '../lib/setups.js';

export interface CostOptions {
  readonly rounds: number;
  /** Runs of each workload per setup start; their median is the round's sample. */
  readonly repeats: number;
  readonly backends: readonly Backend[];
  /** The bpftrace builds to measure when the bpftrace backend is; empty: the one the plugin finds. */
  readonly bpftraceBuilds: readonly BpftraceBuild[];
  /** Operations per workload run. */
  readonly ops: Readonly<Record<Workload, number>>;
  readonly floorPoints: Readonly<Record<Mode, readonly string[]>>;
  readonly log: (line: string) => void;
}

export interface CostRow {
  readonly workload: Workload;
  readonly setup: string;
  readonly cpuNsPerOp: number;
  readonly addedNsPerOp: number;
  readonly eventsPerOp: number;
  readonly addedNsPerEvent: number;
  /** Added cost over the floor's added cost, same mode: 1 for the floor itself. */
  readonly ratioToFloor: number;
  /** The setup's programs' run time per event, from the kernel's statistics (median over rounds). */
  readonly kernelNsPerEvent: number;
  /** The same over the floor's, same mode: 1 for the floor itself. */
  readonly kernelRatioToFloor: number;
  readonly attachedTracepoints: number;
  /** Rounds whose setup and bare samples both ran with no foreign tracer; 0: all rounds were used. */
  readonly cleanRounds: number;
}

export interface CostSample {
  readonly round: number;
  /** The mode block the sample belongs to: its bare run is the baseline. */
  readonly block: Mode;
  readonly setup: string;
  readonly workload: Workload;
  readonly cpuNsPerOp: number;
  readonly wallNsPerOp: number;
  readonly eventsPerOp?: number;
  /** Run time of the setup's programs per run of one (per event), from one more run with the kernel's
   *  statistics on: their total run time over their total run count. */
  readonly kernelNsPerEvent?: number;
  /** What each of the setup's programs did in that run: run count and run time. */
  readonly programs?: readonly ProgramStats[];
  /** Most tracepoint attachments of other processes seen around the runs. */
  readonly foreignTracepoints: number;
}

export interface CostResult {
  readonly bareCpuNsPerOp: Readonly<Record<Workload, number>>;
  readonly rows: readonly CostRow[];
  readonly samples: readonly CostSample[];
}

type TracedSetup = Exclude<Setup, { kind: 'bare' }>;

const modes: readonly Mode[] = ['entry', 'return'];

const blockOf = (mode: Mode, options: CostOptions): Setup[] => [
  { kind: 'bare' },
  { kind: 'floor', mode },
  ...options.backends.flatMap((backend): Setup[] =>
    backend === 'bpftrace' && options.bpftraceBuilds.length > 0
      ? options.bpftraceBuilds.map((bpftrace) => ({ kind: 'plugin', backend, mode, bpftrace }))
      : [{ kind: 'plugin', backend, mode }],
  ),
];

/** One more run of the workload with the kernel's statistics on: what the setup's programs did in it. */
const kernelRun = (pids: readonly number[], workload: Workload, ops: number): Promise<ProgramStats[]> =>
  programsDuring(pids, () => nsPerOp(workload, ops));

const sampleSetup = async (
  setup: Setup,
  block: Mode,
  round: number,
  options: CostOptions,
): Promise<{ samples: CostSample[]; attached: number }> => {
  const running = await startSetup(setup, options.floorPoints);
  try {
    const ours = await running.pids();
    const attached = await attachedTracepoints(ours);
    const samples: CostSample[] = [];
    for (const workload of Object.keys(options.ops) as Workload[]) {
      const runs: { cpu: number; wall: number; events?: number }[] = [];
      let foreign = await foreignTracepoints(ours);
      for (let repeat = 0; repeat < options.repeats; repeat++) {
        const before = await running.hits?.();
        const ns = await nsPerOp(workload, options.ops[workload]);
        const after = await running.hits?.();
        runs.push({ ...ns, ...(before === undefined || after === undefined ? {} : { events: (after - before) / options.ops[workload] }) });
        foreign = Math.max(foreign, await foreignTracepoints(ours));
      }
      const events = runs.flatMap((run) => (run.events === undefined ? [] : [run.events]));
      const programs = ours.length > 0 ? await kernelRun(ours, workload, options.ops[workload]) : undefined;
      samples.push({
        round,
        block,
        setup: setupName(setup),
        workload,
        cpuNsPerOp: median(runs.map((run) => run.cpu)),
        wallNsPerOp: median(runs.map((run) => run.wall)),
        ...(events.length > 0 ? { eventsPerOp: median(events) } : {}),
        ...(programs ? { kernelNsPerEvent: nsPerRun(programs), programs } : {}),
        foreignTracepoints: foreign,
      });
    }
    return { samples, attached };
  } finally {
    await running.stop();
  }
};

export const measureCostPerEvent = async (options: CostOptions): Promise<CostResult> => {
  const workloads = Object.keys(options.ops) as Workload[];
  const samples: CostSample[] = [];
  const attached = new Map<string, number>();
  for (let round = 0; round < options.rounds; round++) {
    for (const mode of modes) {
      for (const setup of blockOf(mode, options)) {
        options.log(
          `cost per event: round ${round + 1}/${options.rounds}, ${setupName(setup)}${setup.kind === 'bare' ? ` (${mode} block)` : ''}`,
        );
        const taken = await sampleSetup(setup, mode, round, options);
        samples.push(...taken.samples);
        if (setup.kind !== 'bare') attached.set(setupName(setup), taken.attached);
      }
    }
  }
  const find = (round: number, block: Mode, setup: string, workload: Workload) =>
    samples.find((s) => s.round === round && s.block === block && s.setup === setup && s.workload === workload)!;
  const rounds = [...Array(options.rounds).keys()];
  const cleanRounds = (setup: string, mode: Mode, workload: Workload) =>
    rounds.filter(
      (round) =>
        find(round, mode, setup, workload).foreignTracepoints === 0 && find(round, mode, 'bare', workload).foreignTracepoints === 0,
    );
  const usedRounds = (setup: string, mode: Mode, workload: Workload) => {
    const clean = cleanRounds(setup, mode, workload);
    return clean.length > 0 ? clean : rounds;
  };
  const addedPerOp = (setup: string, mode: Mode, workload: Workload) =>
    median(
      usedRounds(setup, mode, workload).map(
        (round) => find(round, mode, setup, workload).cpuNsPerOp - find(round, mode, 'bare', workload).cpuNsPerOp,
      ),
    );
  const eventsPerOp = (mode: Mode, workload: Workload) =>
    median(samples.filter((s) => s.setup === `floor ${mode}` && s.workload === workload).map((s) => s.eventsPerOp!));
  const kernelPerEvent = (setup: string, mode: Mode, workload: Workload) =>
    median(usedRounds(setup, mode, workload).map((round) => find(round, mode, setup, workload).kernelNsPerEvent ?? Number.NaN));
  const traced = modes.flatMap((mode) => blockOf(mode, options)).filter((setup): setup is TracedSetup => setup.kind !== 'bare');
  const rows = workloads.flatMap((workload) =>
    traced.map((setup): CostRow => {
      const name = setupName(setup);
      const added = addedPerOp(name, setup.mode, workload);
      const events = eventsPerOp(setup.mode, workload);
      return {
        workload,
        setup: name,
        cpuNsPerOp: median(samples.filter((s) => s.setup === name && s.workload === workload).map((s) => s.cpuNsPerOp)),
        addedNsPerOp: added,
        eventsPerOp: events,
        addedNsPerEvent: added / events,
        ratioToFloor: added / addedPerOp(`floor ${setup.mode}`, setup.mode, workload),
        kernelNsPerEvent: kernelPerEvent(name, setup.mode, workload),
        kernelRatioToFloor: kernelPerEvent(name, setup.mode, workload) / kernelPerEvent(`floor ${setup.mode}`, setup.mode, workload),
        attachedTracepoints: attached.get(name) ?? 0,
        cleanRounds: cleanRounds(name, setup.mode, workload).length,
      };
    }),
  );
  const bareCpuNsPerOp = Object.fromEntries(
    workloads.map((workload) => [
      workload,
      median(samples.filter((s) => s.setup === 'bare' && s.workload === workload).map((s) => s.cpuNsPerOp)),
    ]),
  ) as Record<Workload, number>;
  return { bareCpuNsPerOp, rows, samples };
};
