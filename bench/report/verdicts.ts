// SPDX-License-Identifier: GPL-3.0-or-later
// Judges a run against the targets of issue 7.
import { limits, verdict, type Verdict } from '../lib/targets.js';
import type { BenchResults } from './results.js';

export const verdicts = (results: BenchResults): Verdict[] => {
  const perEvent = results.cost.rows
    .filter((row) => row.workload === 'read' && !row.setup.startsWith('floor'))
    .map((row) => verdict(`${row.setup}: added cost per read() <= ${row.setup.startsWith('helper') ? limits.helperToFloor : limits.bpftraceToFloor}x the floor`,
      row.ratioToFloor, row.setup.startsWith('helper') ? limits.helperToFloor : limits.bpftraceToFloor, 'x'));
  const backends = [...new Set(results.load.map((row) => row.backend))];
  const cpu = backends.map((backend) => verdict(`${backend}: plugin + backend CPU < ${limits.pluginCorePercent}% of a core at every rate`,
    Math.max(...results.load.filter((row) => row.backend === backend).map((row) => row.totalCorePercent)), limits.pluginCorePercent, '%'));
  const start = results.start.perVariant.map((run) => verdict(`${run.label}: first data < ${run.backend === 'helper' ? limits.firstDataHelperMs : limits.firstDataBpftraceMs} ms`,
    run.firstDataMs, run.backend === 'helper' ? limits.firstDataHelperMs : limits.firstDataBpftraceMs, 'ms'));
  const nodeRss = verdict(`node peak RSS < ${limits.nodeRssMiB} MiB`, Math.max(...results.load.map((row) => row.nodePeakRssMiB)), limits.nodeRssMiB, 'MiB');
  const helperRows = results.load.filter((row) => row.backend === 'helper');
  const helperRss = helperRows.length > 0
    ? [verdict(`helper peak RSS < ${limits.helperRssMiB} MiB`, Math.max(...helperRows.map((row) => row.backendPeakRssMiB)), limits.helperRssMiB, 'MiB')]
    : [];
  return [...perEvent, ...cpu, ...start, nodeRss, ...helperRss];
};
