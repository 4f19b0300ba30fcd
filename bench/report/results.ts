// SPDX-License-Identifier: GPL-3.0-or-later
// Everything one bench run produced: what the JSON file holds and what the tables are made from.
import type { Machine } from '../lib/machine.js';
import type { CostResult } from '../sections/cost-per-event.js';
import type { LoadRow } from '../sections/plugin-cost.js';
import type { SelfCostRow } from '../sections/self-cost-check.js';
import type { StartResult } from '../sections/start-time.js';
import type { WhoOptions, WhoResult } from '../sections/who-cost.js';

export interface BenchResults {
  readonly machine: Machine;
  readonly settings: {
    readonly quick: boolean;
    readonly rounds: number;
    readonly repeats: number;
    readonly loadSeconds: number;
    readonly warmupSeconds: number;
    readonly startReps: number;
    /** The keys section's sizes: rounds and operations of its per-event part, the churn, the active load. */
    readonly who: Pick<WhoOptions, 'rounds' | 'ops' | 'churn' | 'active'>;
  };
  readonly floorAttachPoints: { readonly entry: readonly string[]; readonly return: readonly string[] };
  /** The bpftrace builds the cost section measured ("bpftrace v0.23.2 at /path"). */
  readonly bpftraceBuilds: readonly string[];
  /** Each section is there when it ran (`--section`). */
  readonly cost?: CostResult;
  readonly load?: readonly LoadRow[];
  readonly start?: StartResult;
  readonly selfCost?: readonly SelfCostRow[];
  readonly keys?: WhoResult;
}
