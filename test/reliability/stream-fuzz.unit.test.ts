// SPDX-License-Identifier: GPL-3.0-or-later
// Backend output that is truncated, garbage, oversized or out of order never throws, is reported as a
// problem, and never makes a kept total go back.
import test from 'ava';
import { maxLineLength, parseLine } from '../../src/samples/parse-line.js';
import { SampleAssembler } from '../../src/samples/sample-assembler.js';
import { Totals } from '../../src/samples/totals.js';
import { counterIds } from '../../src/plan/counters.js';
import { seededRandom } from './support/seeded-random.js';

const validLines = (value: number): string[] => [
  ...counterIds.map((counter) => `{"type": "map", "data": {"@${counter}": ${value}}}`),
  '{"type": "printf", "data": "sample\\n"}',
  '{"type": "lost_events", "data": {"events": 3}}',
  '{"type": "attached_probes", "data": {"probes": 18}}',
  '{"type": "helper_error", "helper": "probe_read", "retcode": -14, "line": 1, "col": 2}',
];

const mutations: ReadonlyArray<(line: string, random: () => number) => string> = [
  (line, random) => line.slice(0, Math.floor(random() * line.length)), // truncated
  (line, random) =>
    line
      .split('')
      .map((char) => (random() < 0.1 ? String.fromCharCode(Math.floor(random() * 256)) : char))
      .join(''),
  (_line, random) => 'x'.repeat(maxLineLength + 1 + Math.floor(random() * 100)), // oversized
  (line) => line.replace(/\d+/, '-7'), // negative
  (line) => line.replace(/\d+/, '1e300'),
  (line) => line.replace(/\d+/, '"12345678901234567890123"'),
  (line) => line.replace(/"@\w+"/, '"@"'),
  (_line, random) => {
    // out of order
    const map = `@${counterIds[Math.floor(random() * counterIds.length)]}`;
    return JSON.stringify({ type: 'map', data: { [map]: Math.floor(random() * 10) } });
  },
  () => '{"type": "lost_events", "data": {"events": -1}}',
  () => 'null',
  () => '[]',
  () => '{"type": 5}',
  () => '', // a stray blank line, as before an exit dump
];

for (const seed of [1, 2, 3, 42, 2024]) {
  test(`a mangled stream (seed ${seed}) never throws, reports what it drops and keeps every total monotonic`, (t) => {
    const random = seededRandom(seed);
    const totals = new Totals();
    const last = new Map<string, bigint>();
    let problems = 0;
    let samples = 0;
    const assembler = new SampleAssembler({
      onSample: (sample) => {
        samples += 1;
        totals.update(sample);
        for (const counter of counterIds) {
          const value = totals.get(counter);
          if (value === undefined) continue;
          t.true(value >= (last.get(counter) ?? 0n), `${counter} went back`);
          t.true(value >= 0n);
          last.set(counter, value);
        }
      },
      onUnreadable: () => {
        problems += 1;
      },
      onProblem: () => {},
    });
    let mangled = 0;
    for (let round = 1; round <= 400; round += 1) {
      for (const line of validLines(round * 10)) {
        const mutate = random() < 0.2 ? mutations[Math.floor(random() * mutations.length)] : undefined;
        const text = mutate ? mutate(line, random) : line;
        if (mutate) mangled += 1;
        t.notThrows(() => parseLine(text).forEach((record) => assembler.push(record)));
      }
      if (random() < 0.01) totals.startRun(); // a backend restart in the middle
    }
    t.true(samples > 150, `sampling went on through the garbage (${samples} samples)`);
    t.true(mangled > 0);
    t.true(problems > 0, 'unreadable lines were reported');
  });
}

test('an oversized line is reported with its size, not parsed', (t) => {
  const [record] = parseLine(`{"type": "printf", "data": "${'y'.repeat(maxLineLength)}"}`);
  t.is(record?.type, 'invalid');
  t.regex(record?.type === 'invalid' ? record.reason : '', new RegExp(`exceeds ${maxLineLength}`));
});

test('a total that goes back within a run is ignored and named, so no spike follows', (t) => {
  const totals = new Totals();
  totals.update(new Map([['open', 100n]]));
  t.deepEqual(totals.update(new Map([['open', 50n]])), [{ counter: 'open', from: 100n, to: 50n }]);
  t.is(totals.get('open'), 100n);
  totals.update(new Map([['open', 110n]]));
  t.is(totals.get('open'), 110n);
});

test('a restarted backend counts on from the totals of the runs before', (t) => {
  const totals = new Totals();
  totals.update(new Map([['open', 100n]]));
  totals.startRun();
  totals.update(new Map([['open', 5n]]));
  t.is(totals.get('open'), 105n);
});
