// SPDX-License-Identifier: GPL-3.0-or-later
// A counter key (src/plan/counter-keys.ts) as bpftrace: the current task's `cgroup` or `comm` builtin, or the
// same read from the task a release is about.
import { subjectTask, type CounterKey } from '../../plan/counter-keys.js';
import { renderExpr, type RenderContext } from './render-expr.js';

/** The key's expression at this group and attach kind; undefined when the event does not carry it
 *  (sched_process_free gives the freed task's pid and comm, not its cgroup). */
export const keyText = (key: CounterKey, context: RenderContext): string | undefined => {
  if (!context.group.vars['subject']) return key;
  const task = subjectTask(context.group);
  if (task) return `${renderExpr(task, context)}->${key === 'cgroup' ? 'cgroups->dfl_cgrp->kn->id' : 'comm'}`;
  return key === 'comm' ? `args${context.dialect.args}comm` : undefined;
};
