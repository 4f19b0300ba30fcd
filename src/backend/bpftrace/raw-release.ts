// SPDX-License-Identifier: GPL-3.0-or-later
// The release hooked raw where bpftrace and the host allow (src/plan/release-hook.ts says where and why): its
// argument is the freed task, the pid and the keys are read from it, as the helper does, and nothing is remembered
// at the task's exit (keysFrom).
import { arg, member } from '../../plan/probe-expr.js';
import type { ResolvedGroup } from '../../plan/plan-types.js';
import type { Dialect } from './dialect.js';
import { freedEvent as freed } from '../../plan/release-hook.js';

/** The release group as a raw tracepoint: its task read from arg0 (rendered as a kprobe's typed argument), the
 *  bare event as its target; undefined for any other group. */
export const rawReleaseGroup = (group: ResolvedGroup): ResolvedGroup | undefined => {
  if (group.targets.length !== 1 || group.targets[0] !== freed.event) return undefined;
  const { keysFrom: _remembered, ...rest } = group;
  return {
    ...rest,
    targets: [freed.raw],
    args: { task: { index: 0, type: 'struct task_struct *' } },
    vars: { ...group.vars, subject: member(arg('task'), 'pid') },
  };
};

/** A probe on an event that names a freed task, and the freed task's id there: read from the task raw where the
 *  script hooks releases raw, else the perf tracepoint's pid field. */
export const freedTaskProbe = (event: string, raw: boolean, dialect: Dialect): { attachPoint: string; taskId: string } =>
  raw && event === freed.event
    ? { attachPoint: `rawtracepoint:${freed.raw}`, taskId: '((struct task_struct *)arg0)->pid' }
    : { attachPoint: `tracepoint:${event}`, taskId: `args${dialect.args}pid` };

/** Whether a plan's attach point is the release's tracepoint (for the header's note). */
export const isReleaseEvent = (attachPoint: string): boolean => attachPoint === `tracepoint:${freed.event}`;
