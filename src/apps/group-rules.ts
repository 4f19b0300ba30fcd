// SPDX-License-Identifier: GPL-3.0-or-later
// What apps_groups.conf defines: groups in file order, and the process name patterns that put a task in one.

/** exact `name`, prefix `name*`, suffix `*name`, substring `*name*` (Netdata matches the last against the
 *  command line; we only have the task's comm: docs/apps.md). */
export type PatternKind = 'exact' | 'prefix' | 'suffix' | 'substring';

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
