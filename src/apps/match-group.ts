// SPDX-License-Identifier: GPL-3.0-or-later
// A task's comm to its group: the first rule in file order that matches wins, else `other`. Names repeat
// every update, so each comm is matched once (the number of distinct comms is bounded by the kernel table).
import { otherGroup, type GroupRule } from './group-rules.js';

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
