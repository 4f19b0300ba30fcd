// SPDX-License-Identifier: GPL-3.0-or-later
// Judges a run against the targets of issue 7.
import { limits, verdict, type Verdict } from '../lib/targets.js';
import type { BenchResults } from './results.js';
import type { WhoCpuRow, WhoMemorySample } from '../sections/who-cost.js';

// Judged on the kernel's figure: the programs' own work, the same measure the keyed floor has.
const whoVerdicts = (results: BenchResults): Verdict[] => {
  const keys = results.keys;
  if (!keys) return [];
  const perEvent = keys.events
    .filter((row) => row.workload === 'read' && row.ratioToKeyedFloor !== undefined)
    .map((row) =>
      verdict(
        `${row.setup}: kernel ns per read() <= ${limits.keyedToKeyedFloor}x the keyed floor`,
        row.ratioToKeyedFloor!,
        limits.keyedToKeyedFloor,
        'x',
      ),
    );
  const total = (sample: WhoMemorySample) => sample.nodeRssMiB + sample.backendRssMiB + sample.mapMiB;
  const memory = [...new Set(keys.memory.map((sample) => sample.setup))].map((setup) => {
    const middle = keys.memory.find((sample) => sample.setup === setup && sample.at === 'middle')!;
    const end = keys.memory.find((sample) => sample.setup === setup && sample.at === 'end')!;
    return verdict(
      `${setup}: node + backend + maps memory grows < ${limits.whoMemoryGrowth * 100}% over the second half of the churn`,
      (total(end) / total(middle) - 1) * 100,
      limits.whoMemoryGrowth * 100,
      '%',
    );
  });
  // The usual load (500 cgroups, 1,000 names) against its target; the large one (10 times as many) against its own and
  // against growing at most linearly from the usual one's figure.
  const { active } = results.settings.who;
  const cpuOf = (row: WhoCpuRow) => row.nodeCorePercent + row.backendCorePercent;
  const keyed = keys.cpu.filter((row) => row.setup.endsWith('= yes'));
  const usual = keyed.filter((row) => row.workload === `${active.cgroups} cgroups` || row.workload === `${active.names} names`);
  const cpu = usual.map((row) =>
    verdict(
      `${row.setup}, ${row.workload} active: node + backend CPU < ${limits.whoCorePercent}% of a core`,
      cpuOf(row),
      limits.whoCorePercent,
      '%',
    ),
  );
  const large = keyed
    .filter((row) => !usual.includes(row))
    .flatMap((row) => {
      const base = usual.find((each) => each.setup === row.setup);
      const times = row.setup.endsWith('apps = yes') ? active.large.names / active.names : active.large.cgroups / active.cgroups;
      return [
        verdict(
          `${row.setup}, ${row.workload} active: node + backend CPU < ${limits.whoLargeCorePercent}% of a core`,
          cpuOf(row),
          limits.whoLargeCorePercent,
          '%',
        ),
        ...(base
          ? [
              verdict(
                `${row.setup}, ${row.workload} active: CPU grows at most linearly (<= ${times}x the ${base.workload} figure)`,
                cpuOf(row) / cpuOf(base),
                times,
                'x',
              ),
            ]
          : []),
      ];
    });
  return [...perEvent, ...memory, ...cpu, ...large];
};

export const verdicts = (results: BenchResults): Verdict[] => {
  // Judged on the added CPU cost, as the target says; the kernel's figure beside it is the programs' own run
  // time over the floor's (the tracepoint's own cost, the same under both, left out), which the
  // neighbours' load barely moves.
  const perEvent = (results.cost?.rows ?? [])
    .filter((row) => row.workload === 'read' && !row.setup.startsWith('floor'))
    .map((row) => {
      const limit = row.setup.startsWith('helper') ? limits.helperToFloor : limits.bpftraceToFloor;
      // At or below 0 the noise exceeded the added cost: that run cannot meet a target.
      return {
        ...verdict(`${row.setup}: added cost per read() <= ${limit}x the floor`, row.ratioToFloor, limit, 'x'),
        measured: `${row.ratioToFloor.toFixed(2)}x (kernel: ${row.kernelRatioToFloor.toFixed(2)}x)`,
        met: row.ratioToFloor > 0 && row.ratioToFloor <= limit,
      };
    });
  const load = results.load ?? [];
  const backends = [...new Set(load.map((row) => row.backend))];
  const cpu = backends.map((backend) =>
    verdict(
      `${backend}: plugin + backend CPU < ${limits.pluginCorePercent}% of a core at every rate`,
      Math.max(...load.filter((row) => row.backend === backend).map((row) => row.totalCorePercent)),
      limits.pluginCorePercent,
      '%',
    ),
  );
  const start = (results.start?.perVariant ?? []).map((run) =>
    verdict(
      `${run.label}: first data < ${run.backend === 'helper' ? limits.firstDataHelperMs : limits.firstDataBpftraceMs} ms`,
      run.firstDataMs,
      run.backend === 'helper' ? limits.firstDataHelperMs : limits.firstDataBpftraceMs,
      'ms',
    ),
  );
  const nodeRss =
    load.length > 0
      ? [verdict(`node peak RSS < ${limits.nodeRssMiB} MiB`, Math.max(...load.map((row) => row.nodePeakRssMiB)), limits.nodeRssMiB, 'MiB')]
      : [];
  const helperRows = load.filter((row) => row.backend === 'helper');
  const helperRss =
    helperRows.length > 0
      ? [
          verdict(
            `helper peak RSS < ${limits.helperRssMiB} MiB`,
            Math.max(...helperRows.map((row) => row.backendPeakRssMiB)),
            limits.helperRssMiB,
            'MiB',
          ),
        ]
      : [];
  return [...perEvent, ...cpu, ...start, ...nodeRss, ...helperRss, ...whoVerdicts(results)];
};
