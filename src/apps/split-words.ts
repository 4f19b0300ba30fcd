// SPDX-License-Identifier: GPL-3.0-or-later
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
