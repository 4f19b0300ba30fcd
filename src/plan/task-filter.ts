// SPDX-License-Identifier: GPL-3.0-or-later
// Restrict counting to one process tree or one command name. Both values reach kernel programs, so they are
// validated here against strict patterns and nothing else is accepted.
import { z } from 'zod';
import { commPattern, commRule, pidMaxLimit } from '../limits.js';

export const taskFilterSchema = z
  .object({
    pid: z.number().int().min(1).max(pidMaxLimit).optional(),
    comm: z.string().regex(commPattern, commRule).optional(),
  })
  .strict();

export type TaskFilter = z.infer<typeof taskFilterSchema>;

export const isFiltering = (filter: TaskFilter | undefined): filter is TaskFilter =>
  filter !== undefined && (filter.pid !== undefined || filter.comm !== undefined);

/** One event a task filter hooks, and what it does there (dry-run prints both). */
export interface FilterHook {
  readonly event: string;
  readonly does: string;
  /** Why only this backend hooks it, for a hook one backend has and the other not. */
  readonly why?: string;
}

/** The hooks of a task filter: `follow` and `drop` keep --pid's tree (both backends hook the same events, so they
 *  follow the same tasks); `remember` is bpftrace's alone. */
export interface FilterHooks {
  readonly follow?: FilterHook;
  readonly drop?: FilterHook;
  readonly remember?: FilterHook;
}

/** The event of a new task (process or thread), in the parent, naming the new task: where --pid follows the tree, and
 *  where what is held of a reused id is forgotten. */
export const newTaskEvent = 'task:task_newtask';

/** The events a filter hooks in this backend. task_newtask fires in the parent for every new process and thread
 *  (io workers included, which sched_process_fork misses), before the new task runs. */
export const filterHooks = (filter: TaskFilter, backend: 'bpftrace' | 'helper'): FilterHooks => ({
  ...(filter.pid === undefined
    ? {}
    : {
        follow: {
          event: newTaskEvent,
          does:
            'a task made by a followed task is followed (the event names the new task); any other new task is not, ' +
            "even where its id was followed before and that task's release was missed",
        },
        drop: {
          event: 'sched:sched_process_free',
          does:
            'a freed task is dropped, so that its id, once reused, is not followed ' +
            '(on the raw tracepoint where the release is hooked raw)',
        },
      }),
  ...(backend === 'bpftrace' && isFiltering(filter)
    ? {
        remember: {
          event: 'sched:sched_process_exit',
          does:
            'a task the filter counts is remembered at its exit, so that its release, run by another task, is counted; ' +
            'a new task forgets what was remembered of its id (a release the kernel skipped)',
          why:
            'sched_process_free names the freed task by pid alone, without its process or a comm bpftrace reads ' +
            '(src/plan/counter-sources.ts); the helper reads the freed task itself',
        },
      }
    : {}),
});

/** Parse a --pid flag's text: digits only, in range. */
export const parsePid = (text: string): number => {
  if (!/^\d{1,7}$/.test(text)) throw new Error(`Expected --pid to be a process id (digits), got \`${text}\``);
  return taskFilterSchema.shape.pid.unwrap().parse(Number(text));
};
