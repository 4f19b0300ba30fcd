// SPDX-License-Identifier: GPL-3.0-or-later
// bpftrace text for a task filter: a predicate per probe, and the probes on the plan's filter hooks (plan.filterHooks)
// that keep the tracked sets.
import { deleteStatement, type Dialect } from './dialect.js';
import { freedTaskProbe } from './raw-release.js';
import type { Plan } from '../../plan/plan-types.js';
import { isFiltering, newTaskEvent, taskFilterSchema, type FilterHook } from '../../plan/task-filter.js';

export interface FilterText {
  /** Predicate for probes that run in the task being counted. */
  readonly current: string;
  /** Predicate for probes about another task (a release), given the expression of that task's id. */
  readonly subject: (taskId: string) => string;
  /** Statements that forget a released task, so the set stays as small as the live tree and reused ids start clean. */
  readonly forget: (taskId: string) => string[];
  readonly begin: string[];
  readonly probes: string[];
  readonly maps: string[];
}

const tracked = (taskId: string) => `@tracked[${taskId}]`;
const exited = (taskId: string) => `@exited[${taskId}]`;

const probe = (attachPoint: string, predicate: string, statement: string): string =>
  `${attachPoint}\n${predicate ? `/${predicate}/\n` : ''}{\n  ${statement}\n}`;

const hooked = (hook: FilterHook | undefined, what: string): FilterHook => {
  if (!hook) throw new Error(`the plan's task filter must say where it ${what} (plan.filterHooks, src/plan/task-filter.ts)`);
  return hook;
};

/** rawRelease: the script hooks sched_process_free raw (raw-release.ts), and so drops freed tasks there too. */
export const filterText = (plan: Plan, dialect: Dialect, rawRelease: boolean): FilterText | undefined => {
  if (!isFiltering(plan.filter)) return undefined;
  // Re-validated here: these values are pasted into kernel code.
  const { pid, comm } = taskFilterSchema.parse(plan.filter);
  const hooks = plan.filterHooks ?? {};
  // --pid: the process (all its threads share its tgid, `pid`) and every task made from the tree since.
  const current = [pid !== undefined ? tracked('pid') : undefined, comm === undefined ? undefined : `comm == "${comm}"`]
    .filter(Boolean)
    .join(' && ');
  // A new task's id was free: what the sets still hold of it is a task whose release was missed (the perf tracepoint
  // skips some under load) or came after the id's reuse. The value read is the presence check (1 when there), so
  // no has_key() and no failed delete on any version. The id is read once: 0.17 reads a second `args->pid` through
  // the context pointer it moved for the first, which the verifier refuses.
  const newTask = '$new_task';
  const readNewTask = `${newTask} = args${dialect.args}pid;`;
  const forgetStale = (map: string) => `if (${map}[${newTask}]) { delete(${map}[${newTask}]); }`;
  const treeProbes = () => {
    const follow = hooked(hooks.follow, 'follows new tasks');
    const freed = freedTaskProbe(hooked(hooks.drop, 'drops freed tasks').event, rawRelease, dialect);
    return [
      probe(
        `tracepoint:${follow.event}`,
        '',
        [
          readNewTask,
          `if (${tracked('pid')}) { ${tracked(newTask)} = 1; } else { ${forgetStale('@tracked')} }`,
          forgetStale('@exited'),
        ].join('\n  '),
      ),
      probe(freed.attachPoint, '', deleteStatement(dialect, '@tracked', freed.taskId)),
    ];
  };
  // A release runs on behalf of a task that is no longer current: remember each thread that exited under the
  // filter, threads that existed before we attached included.
  const remember = hooked(hooks.remember, 'remembers exited tasks');
  return {
    current,
    subject: exited,
    forget: (taskId) => [deleteStatement(dialect, '@exited', taskId)],
    begin: pid === undefined ? [] : [`${tracked(String(pid))} = 1;`],
    probes: [
      ...(pid === undefined ? [probe(`tracepoint:${newTaskEvent}`, '', `${readNewTask}\n  ${forgetStale('@exited')}`)] : treeProbes()),
      probe(`tracepoint:${remember.event}`, current, `${exited('tid')} = 1;`),
    ],
    maps: [...(pid === undefined ? [] : ['@tracked']), '@exited'],
  };
};
