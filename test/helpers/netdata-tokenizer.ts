// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's plugins.d line splitter, as a test oracle: separators are space, tab, CR, LF and '='; a word may
// be wrapped in ' or " (the quote must open the word); '' is an empty word; at most 20 words (1.22) per line.
export const maxWords = 20;

export const tokenize = (line: string): string[] => {
  const words: string[] = [];
  const separator = /[ \t\r\n=]/;
  let index = 0;
  while (index < line.length) {
    while (index < line.length && separator.test(line[index]!)) index += 1;
    if (index >= line.length) break;
    const quote = line[index] === "'" || line[index] === '"' ? line[index] : undefined;
    if (quote) {
      const end = line.indexOf(quote, index + 1);
      if (end < 0) throw new Error(`unterminated ${quote} in: ${line}`);
      words.push(line.slice(index + 1, end));
      index = end + 1;
    } else {
      let end = index;
      while (end < line.length && !separator.test(line[end]!)) end += 1;
      words.push(line.slice(index, end));
      index = end;
    }
  }
  if (words.length > maxWords) throw new Error(`${words.length} words exceed Netdata's ${maxWords}: ${line}`);
  return words;
};
