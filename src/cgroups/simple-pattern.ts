// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's simple patterns (SIMPLE_PATTERN_EXACT), as its cgroups.plugin settings use them: space-separated
// words, `*` matches any run of characters, a leading `!` negates, and the first word that matches decides.

const wordRegExp = (word: string): RegExp =>
  new RegExp(`^${word.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** true or false from the first matching word; undefined when no word matches. */
export const simplePatternMatch = (patterns: string, value: string): boolean | undefined => {
  for (const word of patterns.split(/\s+/).filter(Boolean)) {
    const negated = word.startsWith('!');
    if (wordRegExp(negated ? word.slice(1) : word).test(value)) return !negated;
  }
  return undefined;
};
