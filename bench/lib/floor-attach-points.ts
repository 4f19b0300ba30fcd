// SPDX-License-Identifier: GPL-3.0-or-later
// Where the floor attaches: the tracepoints the plugin's own planner picks on this host for a mode, so the
// floor and the plugin pay for the same events and differ only in what their programs do.
import { gatherFacts } from '../../src/kernel/gather.js';
import { catalogueNames } from '../../src/plan/catalogue.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { Mode } from '../../src/plan/counters.js';

const prefix = 'tracepoint:';

export const floorAttachPoints = async (mode: Mode): Promise<string[]> => {
  const plan = planProbes(await gatherFacts(catalogueNames()), { mode, tracing: 'auto', backend: 'bpftrace' });
  const points = [...new Set(plan.probes.flatMap((probe) => probe.chosen?.attachPoints ?? []))];
  const other = points.filter((point) => !point.startsWith(prefix));
  if (other.length > 0) {
    throw new Error(`The plan uses ${other.join(', ')} here; the floor attaches tracepoints only (bench/floor/floor.c)`);
  }
  return points.map((point) => point.slice(prefix.length));
};
