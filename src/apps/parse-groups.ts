// SPDX-License-Identifier: GPL-3.0-or-later
// apps_groups.conf read as apps.plugin reads it: each line's words, then the groups and their rules.
import type { AppGroup, AppGroups, GroupRule, PatternKind } from './group-rules.js';

// One line of apps_groups.conf as Netdata's apps.plugin reads it (its procfile reader): words are separated
// by spaces, tabs and colons, and a word in single or double quotes keeps its spaces and colons.
const separators = new Set([' ', '\t', ':']);
const quotes = new Set(["'", '"']);

export type SplitLine = { readonly words: readonly string[] } | { readonly unclosedQuote: string };

export const splitWords = (line: string): SplitLine => {
  const words: string[] = [];
  let word = '';
  let started = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quotes.has(char)) {
      const end = line.indexOf(char, index + 1);
      if (end < 0) return { unclosedQuote: char };
      word += line.slice(index + 1, end);
      started = true;
      index = end;
    } else if (separators.has(char)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += char;
      started = true;
    }
  }
  if (started) words.push(word);
  return { words };
};

// apps_groups.conf with Netdata's rules (docs/apps.md): `group: name name* *name *name*`, `#` ends a line,
// a group named again gets more names, `-` before a group (or its first name) hides it, `+` (apps.plugin's
// debug flag) is ignored. A bad line or name is reported with its file and line and skipped; the rest is used.
export interface ParsedGroups extends AppGroups {
  readonly warnings: readonly string[];
}

// The group name is a dimension id in the plugins.d protocol: only characters its tokenizer never splits on.
const groupNamePattern = /^[A-Za-z0-9_.-]+$/;

interface Pattern {
  readonly kind: PatternKind;
  readonly text: string;
  readonly hidden: boolean;
}

// Netdata strips any run of `-`, `+` and `*` in front (`*` there means suffix), then one `*` at the end (prefix).
const parsePattern = (written: string): Pattern => {
  const lead = /^[-+*]*/.exec(written)![0];
  const suffix = lead.includes('*');
  const rest = written.slice(lead.length);
  const prefix = rest.endsWith('*');
  const text = prefix ? rest.slice(0, -1) : rest;
  const kind: PatternKind = suffix && prefix ? 'substring' : suffix ? 'suffix' : prefix ? 'prefix' : 'exact';
  return { kind, text, hidden: lead.includes('-') };
};

export const parseAppsGroups = (text: string, file: string): ParsedGroups => {
  const groups = new Map<string, AppGroup>();
  const rules: GroupRule[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    const line = index + 1;
    const where = `${file} line ${line}`;
    const split = splitWords(content);
    if ('unclosedQuote' in split) {
      warnings.push(`${where}: a ${split.unclosedQuote} quote is not closed; close it on the same line. Line ignored`);
      return;
    }
    const comment = split.words.findIndex((word) => word.startsWith('#'));
    const words = comment < 0 ? split.words : split.words.slice(0, comment);
    if (!words.length) return;
    const [written, ...names] = words as [string, ...string[]];
    const name = written.replace(/^-+/, '');
    if (!groupNamePattern.test(name)) {
      warnings.push(
        `${where}: group name ${JSON.stringify(written)} may use only letters, ` +
          `digits, _ . - (it becomes a chart dimension id). Line ignored`,
      );
      return;
    }
    if (!names.length) {
      warnings.push(
        `${where}: group \`${name}\` lists no process names; write them after the colon (\`${name}: name name*\`). Line ignored`,
      );
      return;
    }
    for (const writtenName of names) {
      const pattern = parsePattern(writtenName);
      if (!pattern.text) {
        warnings.push(
          `${where}: ${JSON.stringify(writtenName)} in group \`${name}\` has ` +
            `no name to match; write a name, such as nginx or nginx*. Ignored`,
        );
        continue;
      }
      if (pattern.text.includes('*')) {
        warnings.push(
          `${where}: ${JSON.stringify(writtenName)} in group \`${name}\`: Netdata takes a * inside ` +
            `a name literally, so it matches only names with a *; use it at the start or end only`,
        );
      }
      // The group's first name decides, with its own name, whether it is hidden (as in apps.plugin).
      if (!groups.has(name)) groups.set(name, { name, hidden: written.startsWith('-') || pattern.hidden });
      rules.push({ group: name, kind: pattern.kind, text: pattern.text, written: writtenName, line });
    }
  });
  return { groups: [...groups.values()], rules, warnings };
};
