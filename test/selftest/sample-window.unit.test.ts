// SPDX-License-Identifier: GPL-3.0-or-later
// A run's keyed totals carried from sample to sample (src/selftest/sample-window.ts): the helper prints a key's counter
// only when it changed, and a window's increase must still see every total.
import test from 'ava';
import type { CounterKey } from '../../src/plan/counter-keys.js';
import type { CounterId } from '../../src/plan/counters.js';
import { carryKeyed, keyedIncrease } from '../../src/selftest/sample-window.js';

const sample = (values: Record<string, Partial<Record<CounterId, bigint>>>): Map<CounterKey, Map<string, Map<CounterId, bigint>>> =>
  new Map([
    ['cgroup', new Map(Object.entries(values).map(([value, totals]) => [value, new Map(Object.entries(totals) as [CounterId, bigint][])]))],
  ]);

test('totals not printed again keep their last value; printed ones replace it; new keys join', (t) => {
  const first = carryKeyed(new Map(), sample({ 7: { open: 2n, read: 5n } }));
  const second = carryKeyed(first, sample({ 7: { read: 9n }, 8: { open: 1n } }));
  t.deepEqual(second, sample({ 7: { open: 2n, read: 9n }, 8: { open: 1n } }));
  t.deepEqual(first, sample({ 7: { open: 2n, read: 5n } }), 'the earlier sample is left as it was');
});

test('a window whose last sample printed only what changed still sees what changed before it', (t) => {
  const start = carryKeyed(new Map(), sample({ 7: { open: 2n, read: 5n } }));
  const middle = carryKeyed(start, sample({ 7: { open: 4n } }));
  const end = carryKeyed(middle, sample({ 7: { read: 6n } }));
  t.deepEqual(
    keyedIncrease(start, end, 'cgroup'),
    new Map([
      [
        '7',
        new Map([
          ['open', 2n],
          ['read', 1n],
        ]),
      ],
    ]),
  );
});
