// SPDX-License-Identifier: GPL-3.0-or-later
import test from 'ava';
import { scanKeyedMapLine } from '../../src/samples/keyed-map-line.js';
import { parseLine } from '../../src/samples/parse-line.js';

const line = (name: string, body: string): string => `{"type": "map", "data": {"@${name}": {${body}}}}`;

// Entries as the backends print them: keys of every kind they print, totals small, at 2^53 and past it, bare and in quotes.
const printed: readonly [string, string, bigint][] = [
  ['4242', '10', 10n],
  ['7', '0', 0n],
  ['18446744073709551615', '9007199254740993', 9007199254740993n],
  ['bash', '"18446744073709551615"', 18446744073709551615n],
  ['kworker/u4:2', '-3', -3n],
  ['node-MainThread', '123456789012345', 123456789012345n],
  ['systemd-journal', '1234567890123456', 1234567890123456n],
];

test('a keyed map line is read into exact totals, in one pass, as JSON would read it', (t) => {
  const text = line('read__cgroup', printed.map(([key, total]) => `"${key}": ${total}`).join(', '));
  const scanned = scanKeyedMapLine(text);
  t.deepEqual(scanned, { name: 'read__cgroup', entries: new Map(printed.map(([key, , total]) => [key, total])) });
  // JSON.parse agrees on every key and every total that a double holds.
  const json = JSON.parse(text).data['@read__cgroup'] as Record<string, number | string>;
  for (const [key, value] of Object.entries(json)) if (Number.isSafeInteger(Number(value))) t.is(scanned?.entries.get(key), BigInt(value));
  t.deepEqual(parseLine(text), [{ type: 'keyed', name: 'read__cgroup', entries: scanned!.entries }]);
});

test('an empty keyed map and a key printed twice read as JSON reads them', (t) => {
  t.deepEqual(scanKeyedMapLine(line('open__comm', '')), { name: 'open__comm', entries: new Map() });
  t.deepEqual(scanKeyedMapLine(line('open__comm', '"a": 1, "a": 2'))?.entries, new Map([['a', 2n]]));
});

test('any other spelling is left to the general reading, which decides as before', (t) => {
  const others: readonly [string, string, unknown][] = [
    ['escaped key', line('open__comm', '"a\\"b": 1'), [{ type: 'keyed', name: 'open__comm', entries: new Map([['a"b', 1n]]) }]],
    [
      'unicode escape',
      line('open__comm', '"\\u00e9t\\u00e9": 2'),
      [{ type: 'keyed', name: 'open__comm', entries: new Map([['été', 2n]]) }],
    ],
    [
      'no blanks',
      '{"type":"map","data":{"@open__cgroup":{"7":1}}}',
      [{ type: 'keyed', name: 'open__cgroup', entries: new Map([['7', 1n]]) }],
    ],
    ['a fraction', line('open__cgroup', '"7": 1.5'), 'invalid'],
    ['an exponent', line('open__cgroup', '"7": 1e5'), [{ type: 'keyed', name: 'open__cgroup', entries: new Map([['7', 100000n]]) }]],
    ['a leading zero', line('open__cgroup', '"7": 007'), 'invalid'],
    ['a word', line('open__cgroup', '"7": "seven"'), 'invalid'],
    ['text after the line', `${line('open__cgroup', '"7": 1')} x`, 'invalid'],
    ['a cut line', line('open__cgroup', '"7": 1').slice(0, -1), 'invalid'],
    ['a control character in a key', line('open__comm', '"a\tb": 1'), 'invalid'],
  ];
  for (const [what, text, expected] of others) {
    t.is(scanKeyedMapLine(text), undefined, what);
    const parsed = parseLine(text);
    if (expected === 'invalid') t.is(parsed[0]?.type, 'invalid', what);
    else t.deepEqual(parsed, expected, what);
  }
});

test('a map that is not keyed reads as a plain map, not as entries', (t) => {
  t.deepEqual(parseLine(line('open', '')), [{ type: 'map', name: 'open', value: null }]);
  t.deepEqual(parseLine('{"type": "map", "data": {"@open": 12}}'), [{ type: 'map', name: 'open', value: 12n }]);
});
