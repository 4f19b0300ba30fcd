// SPDX-License-Identifier: GPL-3.0-or-later
// The helper writes the sample-delimiting lines and its event names as C string literals (it cannot import
// TypeScript): they must still equal src/backend/markers.ts and the event schema.
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { helperEventSchema } from '../../src/samples/helper-events.js';
import { attachedProbesLine, sampleMarkerLine } from '../../src/backend/markers.js';

const source = (file: string): Promise<string> => readFile(new URL(`../../bpf-fallback/${file}`, import.meta.url), 'utf8');

/** The text of `#define NAME "…"`: C's escapes here (\" \\ \n) read the same in JSON. */
const definedString = (text: string, name: string): string => {
  const literal = new RegExp(`^#define ${name} ("(?:[^"\\\\]|\\\\.)*")$`, 'm').exec(text)?.[1];
  if (!literal) throw new Error(`bpf-fallback/report.c no longer defines ${name} as one string literal`);
  return JSON.parse(literal) as string;
};

test('the helper ends each sample with the marker line of markers.ts', async (t) => {
  const line = definedString(await source('report.c'), 'SAMPLE_MARKER_LINE');
  t.true(line.endsWith('\n'));
  t.deepEqual(JSON.parse(line), sampleMarkerLine);
});

test('the helper prints the attached line of markers.ts', async (t) => {
  const format = definedString(await source('report.c'), 'ATTACHED_LINE');
  t.deepEqual(JSON.parse(format.replace('%d', '7')), attachedProbesLine(7));
});

test('every event the helper writes is one the schema knows, and the schema knows no other', async (t) => {
  const written = [...(await source('report.c')).matchAll(/begin_event\("(\w+)"/g)].map((match) => match[1]).sort();
  t.deepEqual(written, helperEventSchema.options.map((option) => option.shape.event.value).sort());
});
