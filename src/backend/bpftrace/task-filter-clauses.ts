// SPDX-License-Identifier: GPL-3.0-or-later
// bpftrace text for a task filter: a predicate per probe and the probes that keep the tracked sets.
import { deleteStatement, type Dialect } from './dialect.js';
import { isFiltering, taskFilterSchema, type TaskFilter } from '../../plan/task-filter.js';

export interface FilterText {
  /** Predicate for probes that run in the task being counted. */
  readonly current: string;
  /** Predicate for probes about another task (a release), given the expression of that task's id. */
  readonly subject: (taskId: string) => string;
  /** Statements that forget a released task, so the sets stay as small as the live tree and reused ids start clean. */
  readonly forget: (taskId: string) => string[];
  readonly begin: string[];
  readonly probes: string[];
  readonly maps: string[];
}

const tracked = (taskId: string) => `@tracked[${taskId}]`;
const exited = (taskId: string) => `@exited[${taskId}]`;

export const filterText = (filter: TaskFilter | undefined, dialect: Dialect): FilterText | undefined => {
  if (!isFiltering(filter)) return undefined;
  // Re-validated here: these values are pasted into kernel code.
  const { pid, comm } = taskFilterSchema.parse(filter);
  // --pid: the process (all its threads share its tgid, `pid`) and every task forked from the tree since.
  const current = [pid !== undefined ? tracked('pid') : undefined, comm === undefined ? undefined : `comm == "${comm}"`]
    .filter(Boolean)
    .join(' && ');
  const begin = pid === undefined ? [] : [`${tracked(String(pid))} = 1;`];
  const forkProbe = `tracepoint:sched:sched_process_fork\n/${tracked('pid')}/\n{\n  ${tracked('args->child_pid')} = 1;\n}`;
  // A release runs on behalf of a task that is no longer current: remember each thread that exited under the
  // filter, threads that existed before we attached included.
  const exitProbe = `tracepoint:sched:sched_process_exit\n/${current}/\n{\n  ${exited('tid')} = 1;\n}`;
  return {
    current,
    subject: exited,
    forget: (taskId) => [
      deleteStatement(dialect, '@exited', taskId),
      ...(pid === undefined ? [] : [deleteStatement(dialect, '@tracked', taskId)]),
    ],
    begin,
    probes: [...(pid === undefined ? [] : [forkProbe]), exitProbe],
    maps: [...(pid === undefined ? [] : ['@tracked']), '@exited'],
  };
};
