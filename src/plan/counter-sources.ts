// SPDX-License-Identifier: GPL-3.0-or-later
// Which attach points feed a counter on this host (what chart labels and dry-run show beside each dimension), and
// which counters are also kept per key (whose attach groups carry the task's keys).
import { groupAttachPoints } from './choose-attach.js';
import type { CounterId } from './counters.js';
import type { Expr } from './probe-expr.js';
import type { Backend, PlannedProbe, Plan, ResolvedGroup } from './plan-types.js';

// A variable the group leaves unset makes the backends leave the update out for that group (entry mode's bytes of
// the vectored calls, whose sizes are in their iovecs).
const bound = (expr: Expr, group: ResolvedGroup): boolean => {
  switch (expr.kind) {
    case 'var':
      return group.vars[expr.name] !== undefined && bound(group.vars[expr.name]!, group);
    case 'stash':
      return group.stash !== undefined;
    case 'member':
      return bound(expr.of, group);
    case 'userU64':
      return bound(expr.at, group);
    case 'mask':
      return bound(expr.value, group);
    case 'not':
      return bound(expr.of, group);
    case 'compare':
      return bound(expr.left, group) && bound(expr.right, group);
    default:
      return true;
  }
};

const feeds = (probe: PlannedProbe, group: ResolvedGroup, counter: CounterId): boolean =>
  probe.updates.some(
    (update) =>
      update.counter === counter && [...(update.when ?? []), ...(update.add ? [update.add] : [])].every((expr) => bound(expr, group)),
  );

/** The chosen attach points whose updates add to `counter`; none when the plan does not collect it. */
export const attachPointsFeeding = (plan: Plan, counter: CounterId): readonly string[] => {
  const probe = plan.probes.find((each) => each.counters.includes(counter));
  const chosen = probe?.chosen;
  if (!probe || !chosen) return [];
  return [
    ...new Set(
      chosen.groups
        .filter((group) => feeds(probe, group, counter))
        .flatMap((group) => groupAttachPoints(group, chosen.family, chosen.kind)),
    ),
  ];
};

/** The task a group counts on behalf of when it is not the current one (release_task's argument), so its keys
 *  are read from it; undefined when the event carries only the task's fields (sched_process_free). */
export const subjectTask = (group: Pick<ResolvedGroup, 'vars'>): Expr | undefined => {
  const subject = group.vars['subject'];
  return subject?.kind === 'member' ? subject.of : undefined;
};

/** Whether a group's events carry the key in this backend. sched_process_free's fields give the freed task's pid
 *  and comm, not its cgroup: bpftrace remembers the keys at the task's exit (keysFrom), as it cannot read the comm
 *  either (a `__data_loc char[]` on recent kernels, 6.18 here, read as an address by 0.17 and 0.27 and as "" by
 *  0.23's str(), while str() refuses the char[16] of older kernels). The helper hooks it raw and reads the task. */
export const groupCarriesKey = (group: Pick<ResolvedGroup, 'vars' | 'keysFrom'>, backend: Backend): boolean =>
  !group.vars['subject'] || subjectTask(group) !== undefined || group.keysFrom !== undefined || backend === 'helper';

/** The counters the plan keeps per key: those whose every attach group carries the keys (bpftrace's release
 *  at sched_process_free without keysFrom does not). The others are a gap on the per-key charts, not a false zero. */
export const keyedCounters = (plan: Plan): Set<CounterId> =>
  new Set(
    plan.probes
      .filter((probe) => probe.chosen?.groups.every((group) => groupCarriesKey(group, plan.backend)))
      .flatMap((probe) => probe.counters),
  );
