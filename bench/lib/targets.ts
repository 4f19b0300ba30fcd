// SPDX-License-Identifier: GPL-3.0-or-later
// The targets the results are judged against (issue 7; the keys section: issues 15 and 16), each with the figure it reads.

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export const verdict = (target: string, value: number, limit: number, unit: string): Verdict => ({
  target,
  measured: `${value.toFixed(unit === 'x' ? 2 : unit === '%' ? 3 : 0)}${unit === 'x' ? 'x' : ` ${unit}`}`,
  met: value <= limit,
});

export const limits = {
  helperToFloor: 1.05,
  bpftraceToFloor: 1.2,
  pluginCorePercent: 0.3,
  firstDataBpftraceMs: 1000,
  firstDataHelperMs: 300,
  nodeRssMiB: 60,
  helperRssMiB: 10,
  keyedToKeyedFloor: 1.2,
  whoCorePercent: 0.5,
  /** The plugin's CPU with 10 times the cgroups (5,000) or names (10,000). */
  whoLargeCorePercent: 5,
  /** Memory growth from the middle of the churn to its end (the second half of the processes). */
  whoMemoryGrowth: 0.1,
} as const;
