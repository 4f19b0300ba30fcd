// SPDX-License-Identifier: GPL-3.0-or-later
// A counter key (src/plan/counter-keys.ts) as bpftrace: the current task's `cgroup` or `comm` builtin, the same
// read from the task a release is about, or what was remembered at the task's exit (keysFrom).
import type { CounterKey } from '../../plan/counter-keys.js';
import { groupCarriesKey, subjectTask } from '../../plan/counter-sources.js';
import { renderExpr, type RenderContext } from './render-expr.js';

/** A key's value, and the condition under which there is one (a task whose exit came before the script). */
export interface KeyText {
  readonly value: string;
  readonly guard?: string;
}

/** The map where a task's key waits between its exit and its release, and the variable it is read into. */
const exitedKeyMap = (key: CounterKey): string => `@exited_${key}`;
const exitedKeyVariable = (key: CounterKey): string => `$exited_${key}`;
// A missing entry reads as 0 or "": no cgroup id is 0, and no task is named "".
const exitedKeyPresent = (key: CounterKey): string => (key === 'cgroup' ? exitedKeyVariable(key) : `${exitedKeyVariable(key)} != ""`);

/** The key's expression at this group and attach kind; undefined when the event does not carry it in a form
 *  bpftrace reads (see groupCarriesKey). */
export const keyText = (key: CounterKey, context: RenderContext): KeyText | undefined => {
  if (!groupCarriesKey(context.group, 'bpftrace')) return undefined;
  if (context.group.keysFrom) return { value: exitedKeyVariable(key), guard: exitedKeyPresent(key) };
  const task = subjectTask(context.group);
  return { value: task ? `${renderExpr(task, context)}->${key === 'cgroup' ? 'cgroups->dfl_cgrp->kn->id' : 'comm'}` : key };
};

/** The statements that remember the current task's keys at keysFrom, and those that take them back (and forget
 *  them) at the group's event, for the task `subject`. */
export const exitedKeyStatements = (keys: readonly CounterKey[], subject: string) => ({
  remember: keys.map((key) => `${exitedKeyMap(key)}[tid] = ${key};`),
  takeBack: keys.flatMap((key) => [
    `${exitedKeyVariable(key)} = ${exitedKeyMap(key)}[${subject}];`,
    `if (${exitedKeyPresent(key)}) { delete(${exitedKeyMap(key)}[${subject}]); }`,
  ]),
  maps: keys.map(exitedKeyMap),
});
