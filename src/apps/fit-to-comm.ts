// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel keeps only the first 15 characters of a task's name (comm, TASK_COMM_LEN 16 with the NUL), and
// that is all the in-kernel counting has. Rules that need more are made to fit, or dropped, and said once.
import type { GroupRule } from './group-rules.js';

export const commMaxLength = 15;

export interface FittedRules {
  readonly rules: readonly GroupRule[];
  readonly warnings: readonly string[];
}

const shown = (rules: readonly GroupRule[]): string => {
  const names = rules
    .slice(0, 5)
    .map((rule) => `${rule.written} (${rule.group}, line ${rule.line})`)
    .join(', ');
  return rules.length > 5 ? `${names} and ${rules.length - 5} more` : names;
};

// A comm never holds a '/', nor more than 15 characters.
const fitsComm = (text: string): boolean => text.length <= commMaxLength && !text.includes('/');

export const fitRulesToComm = (rules: readonly GroupRule[], file: string): FittedRules => {
  const truncated: GroupRule[] = [];
  const unmatchable: GroupRule[] = [];
  const fitted: GroupRule[] = [];
  for (const rule of rules) {
    if (fitsComm(rule.text)) fitted.push(rule);
    // A long program name shows as its first 15 characters: compare those, as the kernel cut it.
    else if ((rule.kind === 'exact' || rule.kind === 'prefix') && !rule.text.includes('/')) {
      truncated.push(rule);
      fitted.push({ ...rule, text: rule.text.slice(0, commMaxLength) });
    } else unmatchable.push(rule);
  }
  const warnings = [
    ...(truncated.length
      ? [
          `${file}: ${truncated.length} process names are longer than the ${commMaxLength} characters the kernel ` +
            `keeps of a task's name; their first ${commMaxLength} characters are compared: ${shown(truncated)}`,
        ]
      : []),
    ...(unmatchable.length
      ? [
          `${file}: ${unmatchable.length} patterns can never match a task's name as the ` +
            `kernel keeps it (${commMaxLength} characters, no /): Netdata matches *name* ` +
            `against the command line, which in-kernel counting does not see; those tasks ` +
            `count in their own group's other patterns or in \`other\`: ${shown(unmatchable)}`,
        ]
      : []),
  ];
  return { rules: fitted, warnings };
};
