// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's simple patterns (SIMPLE_PATTERN_EXACT), as its cgroups.plugin settings use them: space-separated
// words, `*` matches any run of characters, a leading `!` negates, and the first word that matches decides.

const wordRegExp = (word: string): RegExp =>
  new RegExp(
    `^${word
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

interface CompiledWord {
  readonly negated: boolean;
  readonly regExp: RegExp;
}

// Every cgroup is named at every update against the same few pattern lists: compile each list once (building
// the expressions anew each time took most of the plugin's CPU with hundreds of cgroups).
const compiled = new Map<string, readonly CompiledWord[]>();

const compile = (patterns: string): readonly CompiledWord[] => {
  let words = compiled.get(patterns);
  if (!words) {
    words = patterns
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => {
        const negated = word.startsWith('!');
        return { negated, regExp: wordRegExp(negated ? word.slice(1) : word) };
      });
    compiled.set(patterns, words);
  }
  return words;
};

/** true or false from the first matching word; undefined when no word matches. */
export const simplePatternMatch = (patterns: string, value: string): boolean | undefined => {
  const first = compile(patterns).find((word) => word.regExp.test(value));
  return first === undefined ? undefined : !first.negated;
};
