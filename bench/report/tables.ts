// SPDX-License-Identifier: GPL-3.0-or-later
// The run as Markdown tables: printed by the bench and embedded in docs/performance.md.
import type { CostResult } from '../sections/cost-per-event.js';
import type { LoadRow } from '../sections/plugin-cost.js';
import type { StartResult } from '../sections/start-time.js';
import type { SelfCostRow } from '../sections/self-cost-check.js';
import type { BenchResults } from './results.js';
import type { WhoResult } from '../sections/who-cost.js';
import { pluginNodeFlags } from '../lib/native.js';
import { verdicts } from './verdicts.js';

const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

const fixed = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export const machineTable = (results: BenchResults): string => {
  const { machine, settings } = results;
  return table(
    ['host', 'value'],
    [
      ['kernel', machine.kernel],
      ['CPU', `${machine.cpu}, ${machine.cores} cores`],
      ['memory', `${machine.memoryGiB} GiB`],
      ['node', machine.node],
      ['bpftrace', machine.bpftrace],
      ['bpftrace builds measured', results.bpftraceBuilds.join('; ') || 'none'],
      ['lockdown', machine.lockdown],
      ['date', machine.date],
      [
        'run',
        `${settings.quick ? 'quick' : 'full'}: ${settings.rounds} rounds of ${settings.repeats} runs per workload, ` +
          `${settings.loadSeconds} s per load point after ${settings.warmupSeconds} s of warm-up, ${settings.startReps} start runs`,
      ],
    ],
  );
};

export const costTable = (cost: CostResult, rounds: number): string =>
  table(
    [
      'workload',
      'setup',
      'CPU ns/op',
      'added ns/op',
      'events/op',
      'added ns/event',
      'x floor',
      'kernel ns/event',
      'kernel x floor',
      'tracepoints',
      'clean rounds',
    ],
    [
      ...Object.entries(cost.bareCpuNsPerOp).map(([workload, ns]) => [workload, 'bare', fixed(ns, 1), '', '', '', '', '', '', 0, '']),
      ...cost.rows.map((row) => [
        row.workload,
        row.setup,
        fixed(row.cpuNsPerOp, 1),
        fixed(row.addedNsPerOp, 1),
        fixed(row.eventsPerOp, 2),
        fixed(row.addedNsPerEvent, 1),
        fixed(row.ratioToFloor, 2),
        fixed(row.kernelNsPerEvent, 1),
        fixed(row.kernelRatioToFloor, 2),
        row.attachedTracepoints,
        `${row.cleanRounds}/${rounds}`,
      ]),
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );

// The rows that tell setups apart (fork and thread are below the noise): read() and open+close, per setup.
const perSetupWorkloads = ['read', 'openclose'] as const;

export const perSetupTable = (cost: CostResult): string =>
  table(
    [
      'setup',
      ...perSetupWorkloads.flatMap((workload) => [
        `${workload}: x floor (CPU)`,
        `${workload}: kernel ns/event`,
        `${workload}: kernel x floor`,
      ]),
    ],
    [...new Set(cost.rows.map((row) => row.setup))].map((setup) => [
      setup,
      ...perSetupWorkloads.flatMap((workload) => {
        const row = cost.rows.find((each) => each.setup === setup && each.workload === workload);
        return row ? [fixed(row.ratioToFloor, 2), fixed(row.kernelNsPerEvent, 1), fixed(row.kernelRatioToFloor, 2)] : ['', '', ''];
      }),
    ]),
  );

export const loadTable = (load: readonly LoadRow[], warmupSeconds: number): string =>
  table(
    [
      'backend',
      'requested reads/s',
      'made reads/s',
      `start + warm-up CPU ms (first ${warmupSeconds} s)`,
      'node % core',
      'backend % core',
      'total % core',
      'node RSS / peak MiB',
      'backend RSS / peak MiB',
    ],
    load.map((row) => [
      row.backend,
      row.requestedRate,
      fixed(row.eventsPerSecond),
      fixed(row.warmupCpuMs),
      fixed(row.nodeCorePercent, 3),
      fixed(row.backendCorePercent, 3),
      fixed(row.totalCorePercent, 3),
      `${fixed(row.nodeRssMiB, 1)} / ${fixed(row.nodePeakRssMiB, 1)}`,
      `${fixed(row.backendRssMiB, 1)} / ${fixed(row.backendPeakRssMiB, 1)}`,
    ]),
  );

export const startTable = (start: StartResult): string =>
  table(
    ['what', 'first CHART ms', 'first data (BEGIN) ms', 'stop ms'],
    [
      ...start.perVariant.map((run) => [`plugin, ${run.label}`, fixed(run.firstChartMs), fixed(run.firstDataMs), fixed(run.stopMs)]),
      [`\`node ${pluginNodeFlags.join(' ')} dist/cli.js --version\` (node start and module loading)`, '', fixed(start.nodeVersionMs), ''],
      [`node ${pluginNodeFlags.join(' ')} that loads nothing: peak RSS ${fixed(start.emptyNodePeakRssMiB, 1)} MiB`, '', '', ''],
      [
        'bpftrace alone on the plugin script: attached_probes / first map',
        fixed(start.bpftraceAttachedMs),
        fixed(start.bpftraceFirstMapMs),
        '',
      ],
    ],
  );

export const selfCostTable = (rows: readonly SelfCostRow[]): string =>
  table(
    [
      'backend',
      'window s',
      'reads/s',
      'charted ns/event',
      'kernel ns/event (fdinfo)',
      'within 10%',
      'charted kernel % core',
      'kernel % core (fdinfo)',
      'node: charted - /proc, ticks',
      'backend: charted - /proc, ticks',
      'within one tick',
    ],
    rows.map((row) => [
      row.backend,
      fixed(row.seconds, 1),
      fixed(row.readsPerSecond),
      fixed(row.chartedNsPerEvent, 1),
      fixed(row.kernelNsPerEvent, 1),
      Math.abs(row.chartedNsPerEvent / row.kernelNsPerEvent - 1) <= 0.1 ? 'yes' : '**no**',
      fixed(row.chartedKernelPercent, 2),
      fixed(row.kernelPercent, 2),
      fixed(row.nodeTicksOff, 1),
      fixed(row.backendTicksOff, 1),
      Math.abs(row.nodeTicksOff) <= 1 && Math.abs(row.backendTicksOff) <= 1 ? 'yes' : '**no**',
    ]),
  );

export const whoEventTable = (keys: WhoResult): string =>
  table(
    ['workload', 'setup', 'kernel ns/event', 'x floor', 'x keyed floor (same key)', 'added by the keys, ns/event'],
    keys.events.map((row) => [
      row.workload,
      row.setup,
      fixed(row.kernelNsPerEvent, 1),
      fixed(row.ratioToFloor, 2),
      row.ratioToKeyedFloor === undefined ? '' : fixed(row.ratioToKeyedFloor, 2),
      row.addedByKeysNs === undefined ? '' : fixed(row.addedByKeysNs, 1),
    ]),
  );

export const whoMemoryTable = (keys: WhoResult): string =>
  table(
    ['setup', 'when', 'processes so far', 'node RSS MiB', 'backend RSS MiB', 'BPF maps MiB (memlock)'],
    keys.memory.map((row) => [
      row.setup,
      row.at,
      row.processesSoFar,
      fixed(row.nodeRssMiB, 1),
      fixed(row.backendRssMiB, 1),
      fixed(row.mapMiB, 2),
    ]),
  );

export const whoCpuTable = (keys: WhoResult): string =>
  table(
    ['setup', 'active', 'window s', 'node % core', 'backend % core', 'total % core', 'node RSS MiB'],
    keys.cpu.map((row) => [
      row.setup,
      row.workload,
      fixed(row.seconds, 1),
      fixed(row.nodeCorePercent, 3),
      fixed(row.backendCorePercent, 3),
      fixed(row.nodeCorePercent + row.backendCorePercent, 3),
      fixed(row.nodeRssMiB, 1),
    ]),
  );

export const verdictTable = (results: BenchResults): string =>
  table(
    ['target', 'measured', 'met'],
    verdicts(results).map((each) => [each.target, each.measured, each.met ? 'yes' : '**no**']),
  );

export const allTables = (results: BenchResults): string =>
  [
    '### Host',
    machineTable(results),
    '### Targets',
    verdictTable(results),
    ...(results.cost
      ? [
          '### 1. Cost per traced event (medians over rounds; added = setup - bare of the same round and mode block; ' +
            "kernel: run time per run of the setup's own programs (one run per event) from kernel.bpf_stats_enabled, in one " +
            'more run per workload and setup start; clean rounds: pairs taken with ' +
            'no other tracer on the machine, the only ones used when there are any)',
          costTable(results.cost, results.settings.rounds),
          '### 1a. Per setup and bpftrace version: read() and open+close',
          perSetupTable(results.cost),
        ]
      : []),
    ...(results.load
      ? [
          '### 2. Plugin cost while reads run at a fixed rate (entry mode, update every 1 s; CPU measured after the warm-up)',
          loadTable(results.load, results.settings.warmupSeconds),
        ]
      : []),
    ...(results.start ? ['### 3. Start and stop (medians)', startTable(results.start)] : []),
    ...(results.selfCost
      ? [
          "### 4. Self monitoring against the bench's own measurement (entry mode, 1-byte reads flat out, `self monitoring = yes`)",
          selfCostTable(results.selfCost),
        ]
      : []),
    ...(results.keys
      ? [
          "### 5a. Per event with `cgroups = yes` / `apps = yes` (entry mode; kernel run time per run of the setup's own programs, " +
            'median over rounds; keyed floor: one lookup-or-insert and an add in a per-CPU hash keyed by cgroup id or comm, ' +
            "sized as the plugin's table; task-cgroup, task-comm: a slot into a per-CPU array cached in task local storage; " +
            "cgroup-slot: that slot in cgroup local storage; cgroup-total: the cgroup's total in its local storage, added atomically)",
          whoEventTable(results.keys),
          `### 5b. Memory while ${results.settings.who.churn.processes} short-lived ` +
            `processes churn through ${results.settings.who.churn.cgroups} cgroups ` +
            `(cgroups = yes) or under ${results.settings.who.churn.names} names (apps = yes)`,
          whoMemoryTable(results.keys),
          `### 5c. Plugin CPU with ${results.settings.who.active.cgroups} cgroups or ${results.settings.who.active.names} names active ` +
            '(one process each, a read every 100 ms; CPU measured after the warm-up)',
          whoCpuTable(results.keys),
        ]
      : []),
  ].join('\n\n');
