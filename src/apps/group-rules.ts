// SPDX-License-Identifier: GPL-3.0-or-later
// What apps_groups.conf defines: groups in file order, and the process name patterns that put a task in one.

import type { AppNameKind } from '../plan/counter-keys.js';

/** exact `name`, prefix `name*`, suffix `*name`, substring `*name*` (Netdata matches the last against the
 *  command line; we only have the task's comm: docs/apps.md). */
export type PatternKind = AppNameKind;

export interface GroupRule {
  readonly group: string;
  readonly kind: PatternKind;
  /** The name without its `*` and option characters. */
  readonly text: string;
  /** As written in the file, for messages. */
  readonly written: string;
  readonly line: number;
}

export interface AppGroup {
  readonly name: string;
  /** Netdata hides such a group's dimension on apps.plugin's cpu chart only; kept for that meaning. */
  readonly hidden: boolean;
}

export interface AppGroups {
  /** In file order, which is the order of the dimensions. */
  readonly groups: readonly AppGroup[];
  /** In file order: the first that matches a task wins. */
  readonly rules: readonly GroupRule[];
}

/** Where tasks no rule matches are counted, as in Netdata (a group of that name in the file is used). */
export const otherGroup = 'other';

// A task's comm to its group: the first rule in file order that matches wins, else `other`. Names repeat
// every update, so each comm is matched once (the number of distinct comms is bounded by the kernel table).
const matches = (rule: GroupRule, comm: string): boolean => {
  switch (rule.kind) {
    case 'exact':
      return comm === rule.text;
    case 'prefix':
      return comm.startsWith(rule.text);
    case 'suffix':
      return comm.endsWith(rule.text);
    case 'substring':
      return comm.includes(rule.text);
  }
};

export type GroupOfComm = (comm: string) => string;

export const groupMatcher = (rules: readonly GroupRule[]): GroupOfComm => {
  const known = new Map<string, string>();
  return (comm) => {
    let group = known.get(comm);
    if (group === undefined) {
      group = rules.find((rule) => matches(rule, comm))?.group ?? otherGroup;
      known.set(comm, group);
    }
    return group;
  };
};
