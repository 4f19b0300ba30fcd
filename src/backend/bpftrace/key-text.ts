// SPDX-License-Identifier: GPL-3.0-or-later
// A counter key (src/plan/counter-keys.ts) as bpftrace: the current task's `cgroup` or `comm` builtin, or the
// same read from the task a release is about.
import { groupCarriesKey, subjectTask, type CounterKey } from '../../plan/counter-keys.js';
import { renderExpr, type RenderContext } from './render-expr.js';

/** The key's expression at this group and attach kind; undefined when the event does not carry it in a form
 *  bpftrace reads (sched_process_free: see groupCarriesKey). */
export const keyText = (key: CounterKey, context: RenderContext): string | undefined => {
  if (!groupCarriesKey(context.group, key, 'bpftrace')) return undefined;
  const task = subjectTask(context.group);
  return task ? `${renderExpr(task, context)}->${key === 'cgroup' ? 'cgroups->dfl_cgrp->kn->id' : 'comm'}` : key;
};
