// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's plugins.d tokenizer splits on spaces, tabs, CR, LF and '=', and a word may be wrapped in single
// quotes. A quoted word cannot contain the quote itself (a backslash escapes but is not removed), so such
// characters are replaced rather than escaped.
export const quote = (word: string): string => `'${word.replace(/['\\\r\n\t]/g, '_')}'`;

/** Ids (chart, dimension, label names) are sent bare: only characters the tokenizer never splits on. */
export const assertId = (id: string): string => {
  if (!/^[A-Za-z0-9_.-]+$/.test(id)) throw new Error(`invalid plugins.d id \`${id}\`: use letters, digits, _ . -`);
  return id;
};
