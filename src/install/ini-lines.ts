// SPDX-License-Identifier: GPL-3.0-or-later
// Edit one option of an INI file in place. A parse/serialize round trip would drop the comments
// people keep in netdata.conf, so this works on lines and leaves every other line as it was.

const sectionName = (line: string): string | undefined => /^\s*\[([^\]]+)\]\s*$/.exec(line)?.[1]?.trim();

const isOption = (line: string, key: string): boolean => {
  const match = /^\s*([^#;=][^=]*?)\s*=/.exec(line);
  return match?.[1] === key;
};

interface SectionRange {
  header: number;
  end: number;
}

const findSection = (lines: readonly string[], section: string): SectionRange | undefined => {
  const header = lines.findIndex((line) => sectionName(line) === section);
  if (header < 0) return undefined;
  const next = lines.findIndex((line, index) => index > header && sectionName(line) !== undefined);
  return { header, end: next < 0 ? lines.length : next };
};

const splitLines = (text: string): string[] => (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
const joinLines = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.join('\n')}\n`);

// A newline in a key or value would write a second, unintended option.
const assertSingleLine = (what: string, value: string): void => {
  if (/[\r\n]/.test(value) || value.trim() !== value || value === '') {
    throw new TypeError(`Expected the INI ${what} to be one non-empty line without surrounding spaces, got ${JSON.stringify(value)}.`);
  }
};

export const readOption = (text: string, section: string, key: string): string | undefined => {
  const lines = splitLines(text);
  const range = findSection(lines, section);
  if (!range) return undefined;
  const line = lines.slice(range.header + 1, range.end).find((candidate) => isOption(candidate, key));
  return line?.slice(line.indexOf('=') + 1).trim();
};

/** Sets `key = value` in `[section]`, replacing an existing line or adding one (and the section). */
export const setOption = (text: string, section: string, key: string, value: string): string => {
  for (const [what, part] of [
    ['section', section],
    ['key', key],
    ['value', value],
  ] as const)
    assertSingleLine(what, part);
  const lines = text === '' ? [] : splitLines(text);
  const option = `\t${key} = ${value}`;
  const range = findSection(lines, section);
  if (!range) return joinLines([...lines, ...(lines.length > 0 && lines.at(-1) !== '' ? [''] : []), `[${section}]`, option]);
  const existing = lines.findIndex((line, index) => index > range.header && index < range.end && isOption(line, key));
  if (existing >= 0) return joinLines(lines.map((line, index) => (index === existing ? option : line)));
  // After the section's last non-blank line, so blank lines keep separating sections.
  let insertAt = range.end;
  while (insertAt - 1 > range.header && lines[insertAt - 1]?.trim() === '') insertAt -= 1;
  return joinLines([...lines.slice(0, insertAt), option, ...lines.slice(insertAt)]);
};

/** Removes `key` from `[section]`; a section left with nothing in it goes too. */
export const removeOption = (text: string, section: string, key: string): string => {
  const lines = splitLines(text);
  const range = findSection(lines, section);
  if (!range) return text;
  const body = lines.slice(range.header + 1, range.end).filter((line) => !isOption(line, key));
  if (body.length === range.end - range.header - 1) return text;
  const kept = body.some((line) => line.trim() !== '') ? [lines[range.header] as string, ...body] : [];
  const before = lines.slice(0, range.header);
  // Dropping a whole section also drops the blank line that separated it from the one before.
  if (kept.length === 0 && range.end === lines.length) while (before.at(-1)?.trim() === '') before.pop();
  return joinLines([...before, ...kept, ...lines.slice(range.end)]);
};
