// SPDX-License-Identifier: GPL-3.0-or-later
// Which attach points feed a counter on this host: what chart labels and dry-run show beside each dimension.
import { groupAttachPoints } from './choose-attach.js';
import type { CounterId } from './counters.js';
import type { Expr } from './probe-expr.js';
import type { PlannedProbe, Plan, ResolvedGroup } from './plan-types.js';

// A variable the group leaves unset makes the backends leave the update out for that group (entry mode's bytes of
// the vectored calls, whose sizes are in their iovecs).
const bound = (expr: Expr, group: ResolvedGroup): boolean => {
  switch (expr.kind) {
    case 'var': return group.vars[expr.name] !== undefined && bound(group.vars[expr.name]!, group);
    case 'stash': return group.stash !== undefined;
    case 'member': return bound(expr.of, group);
    case 'userU64': return bound(expr.at, group);
    case 'mask': return bound(expr.value, group);
    case 'not': return bound(expr.of, group);
    case 'compare': return bound(expr.left, group) && bound(expr.right, group);
    default: return true;
  }
};

const feeds = (probe: PlannedProbe, group: ResolvedGroup, counter: CounterId): boolean =>
  probe.updates.some((update) => update.counter === counter
    && [...(update.when ?? []), ...(update.add ? [update.add] : [])].every((expr) => bound(expr, group)));

/** The chosen attach points whose updates add to `counter`; none when the plan does not collect it. */
export const attachPointsFeeding = (plan: Plan, counter: CounterId): readonly string[] => {
  const probe = plan.probes.find((each) => each.counters.includes(counter));
  const chosen = probe?.chosen;
  if (!probe || !chosen) return [];
  return [...new Set(chosen.groups.filter((group) => feeds(probe, group, counter)).flatMap((group) => groupAttachPoints(group, chosen.family, chosen.kind)))];
};
