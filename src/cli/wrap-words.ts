// SPDX-License-Identifier: GPL-3.0-or-later
// Long lists in text output (attach points, apps groups) as lines a terminal shows whole.

/** `words` joined by `separator` into lines of at most `width` characters (a longer word gets a line of its own),
 *  the first starting with `first`, the others with `indent`. */
export const wrapWords = (words: readonly string[], first: string, indent: string, separator = ' ', width = 110): string[] => {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const [index, word] of words.entries()) {
    const piece = index < words.length - 1 ? `${word}${separator.trimEnd()}` : word;
    if (!empty && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += `${empty ? '' : ' '}${piece}`;
    empty = false;
  }
  return [...lines, line];
};
