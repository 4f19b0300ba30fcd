// SPDX-License-Identifier: GPL-3.0-or-later
// The system-wide judgement: counts must reach the workload and exceed it by at most the measured background.
import test from 'ava';
import type { CounterId } from '../../src/plan/counters.js';
import { backgroundIncreases, judgeSystemWide } from '../../src/selftest/system-wide.js';

const sample = (totals: Partial<Record<CounterId, bigint>>): ReadonlyMap<CounterId, bigint> =>
  new Map(Object.entries(totals) as Array<[CounterId, bigint]>);

test('background increases are the differences between consecutive samples, a missing counter counting as zero', (t) => {
  const background = backgroundIncreases(
    [sample({ read: 10n }), sample({ read: 13n, open: 1n }), sample({ read: 20n, open: 1n })],
    ['read', 'open', 'exit'],
  );
  t.deepEqual(background.get('read'), [3, 7]);
  t.deepEqual(background.get('open'), [1, 0]);
  t.deepEqual(background.get('exit'), [0, 0]);
});

test('the allowance is twice the busiest background interval for every interval of the window', (t) => {
  // busiest 7, two intervals: 2 * 7 * 2 = 28
  t.deepEqual(judgeSystemWide('read', 100, 128, [3, 7, 5], 2), { verdict: 'ok', excess: 28, allowance: 28 });
  t.deepEqual(judgeSystemWide('read', 100, 129, [3, 7, 5], 2), { verdict: 'ABOVE', excess: 29, allowance: 28 });
});

test('fewer than the workload did is BELOW, whatever the background', (t) => {
  t.is(judgeSystemWide('open', 50, 49, [1000], 3).verdict, 'BELOW');
  t.is(judgeSystemWide('open', 50, 50, [], 3).verdict, 'ok');
});

test('a call counter quiet in the background still allows one stray call per interval; a doubled workload exceeds it', (t) => {
  t.deepEqual(judgeSystemWide('process_error', 20, 23, [0, 0, 0], 3), { verdict: 'ok', excess: 3, allowance: 3 });
  t.is(judgeSystemWide('process_error', 20, 40, [0, 0, 0], 3).verdict, 'ABOVE');
});

test('a byte counter gets no floor: bytes with no background are an excess', (t) => {
  t.deepEqual(judgeSystemWide('write_bytes', 4096, 4097, [0, 0], 2), { verdict: 'ABOVE', excess: 1, allowance: 0 });
});
