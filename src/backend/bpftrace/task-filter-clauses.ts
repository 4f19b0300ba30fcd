// SPDX-License-Identifier: GPL-3.0-or-later
// bpftrace text for a task filter: a predicate per probe and the probes that keep the tracked set.
import { isFiltering, taskFilterSchema, type TaskFilter } from '../../plan/task-filter.js';

export interface FilterText {
  /** Predicate for probes that run in the task being counted. */
  readonly current: string;
  /** Predicate for probes about another task, given the expression of that task's id. */
  readonly subject: (taskId: string) => string;
  readonly begin: string[];
  readonly probes: string[];
  readonly maps: string[];
}

export const filterText = (filter: TaskFilter | undefined): FilterText | undefined => {
  if (!isFiltering(filter)) return undefined;
  // Re-validated here: these values are pasted into kernel code.
  const { pid, comm } = taskFilterSchema.parse(filter);
  const tracked = (taskId: string) => `@tracked[${taskId}]`;
  const probes: string[] = [];
  const begin: string[] = [];
  if (pid !== undefined) {
    begin.push(`${tracked(String(pid))} = 1;`);
    probes.push(`tracepoint:sched:sched_process_fork\n/${tracked('pid')}/\n{\n  ${tracked('args->child_pid')} = 1;\n}`);
  }
  const commTest = comm === undefined ? undefined : `comm == "${comm}"`;
  if (commTest) {
    // A released task is no longer current: remember the ones that exited under the filter.
    probes.push(`tracepoint:sched:sched_process_exit\n/${commTest}/\n{\n  ${tracked('tid')} = 1;\n}`);
  }
  const current = [pid !== undefined ? tracked('pid') : undefined, commTest].filter(Boolean).join(' && ');
  return { current, subject: tracked, begin, probes, maps: ['@tracked'] };
};
