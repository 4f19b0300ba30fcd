// SPDX-License-Identifier: GPL-3.0-or-later
// Which attach points feed a counter on this host: what chart labels and dry-run show beside each dimension.
import type { CounterId } from './counters.js';
import type { Plan } from './plan-types.js';

/** The chosen attach points of the probe that counts `counter`; none when the plan does not collect it. */
export const attachPointsFeeding = (plan: Plan, counter: CounterId): readonly string[] =>
  plan.probes.find((probe) => probe.counters.includes(counter))?.chosen?.attachPoints ?? [];
