// SPDX-License-Identifier: GPL-3.0-or-later
// The line that comes by the thousand entries: a keyed map as both backends print it (bpftrace's print(@map), the
// helper's keyed-report.c), `{"type": "map", "data": {"@read__cgroup": {"4242": 10, "7": 2}}}`, read in one pass
// over its text. JSON.parse made an object of hundreds of index-like keys per line, which V8 keeps as a dictionary
// and iterates slowly, before the entries were read from it (at 500 cgroups most of the plugin's parsing). Any other
// spelling (an escape in a key, a float, other spacing) is left to parse-line.ts's general reading, which decides.

const prefix = /^\{"type": "map", "data": \{"@(\w+)": \{/;

const quote = 0x22;
const comma = 0x2c;
const colon = 0x3a;
const space = 0x20;
const minus = 0x2d;
const zero = 0x30;
const nine = 0x39;
const backslash = 0x5c;
const closeBrace = 0x7d;

const isDigit = (code: number): boolean => code >= zero && code <= nine;

/** A key as printed needs JSON.parse when it holds an escape; a control character makes the line invalid JSON. */
const plainKey = (raw: string, start: number, end: number): boolean => {
  for (let at = start; at < end; at++) {
    const code = raw.charCodeAt(at);
    if (code === backslash || code < space) return false;
  }
  return true;
};

/** Reads the total at `start`: a JSON integer, or its decimal text in quotes (bpftrace 0.24+ above 2^53). Returns
 *  where it ends, or -1 when it is not one. */
const totalEnd = (raw: string, start: number): number => {
  const quoted = raw.charCodeAt(start) === quote;
  let at = quoted ? start + 1 : start;
  if (raw.charCodeAt(at) === minus) at += 1;
  const first = at;
  while (isDigit(raw.charCodeAt(at))) at += 1;
  // JSON has no leading zeros: `007` is not a number there.
  if (at === first || (raw.charCodeAt(first) === zero && at - first > 1)) return -1;
  if (!quoted) return at;
  return raw.charCodeAt(at) === quote ? at + 1 : -1;
};

/** Below 2^53 a total's digits are read as a double first: BigInt from a small number is cheaper than from text. */
const totalOf = (digits: string): bigint => (digits.length <= 15 ? BigInt(Number(digits)) : BigInt(digits));

/** The map's name (without `@`) and its entries, or undefined when the line is not a keyed map in this exact
 *  spelling. Totals are exact at any size: they are read from the digits. */
export const scanKeyedMapLine = (raw: string): { readonly name: string; readonly entries: Map<string, bigint> } | undefined => {
  const opening = prefix.exec(raw);
  if (!opening) return undefined;
  const entries = new Map<string, bigint>();
  let at = opening[0].length;
  if (raw.charCodeAt(at) !== closeBrace) {
    for (;;) {
      if (raw.charCodeAt(at) !== quote) return undefined;
      const keyEnd = raw.indexOf('"', at + 1);
      if (keyEnd === -1 || !plainKey(raw, at + 1, keyEnd)) return undefined;
      if (raw.charCodeAt(keyEnd + 1) !== colon || raw.charCodeAt(keyEnd + 2) !== space) return undefined;
      const start = keyEnd + 3;
      const end = totalEnd(raw, start);
      if (end === -1) return undefined;
      const quoted = raw.charCodeAt(start) === quote;
      entries.set(raw.slice(at + 1, keyEnd), totalOf(quoted ? raw.slice(start + 1, end - 1) : raw.slice(start, end)));
      at = end;
      if (raw.charCodeAt(at) === closeBrace) break;
      if (raw.charCodeAt(at) !== comma || raw.charCodeAt(at + 1) !== space) return undefined;
      at += 2;
    }
  }
  // The entries' brace, then data's and the line's, and nothing after.
  if (raw.length !== at + 3 || raw.charCodeAt(at + 1) !== closeBrace || raw.charCodeAt(at + 2) !== closeBrace) return undefined;
  return { name: opening[1]!, entries };
};
