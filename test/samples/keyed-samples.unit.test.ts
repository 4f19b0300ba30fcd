// SPDX-License-Identifier: GPL-3.0-or-later
// Keyed map lines (per cgroup, per command name) into each sample's keyed totals, and the plugin's own keyed
// totals across backend restarts and removed cgroups.
import test from 'ava';
import { KeyedTotals } from '../../src/samples/keyed-totals.js';
import { parseLine } from '../../src/samples/parse-line.js';
import { SampleAssembler, type KeyedSample, type Sample, type UnkeyedEvents } from '../../src/samples/sample-assembler.js';

const assemble = (lines: readonly string[]): { sample: Sample; keyed: KeyedSample }[] => {
  const samples: { sample: Sample; keyed: KeyedSample }[] = [];
  const assembler = new SampleAssembler({ onSample: (sample, keyed) => samples.push({ sample, keyed }) });
  lines.flatMap(parseLine).forEach((record) => assembler.push(record));
  return samples;
};

const marker = '{"type": "printf", "data": "sample\\n"}';

test('a keyed stats() map gives its count and its total per key, beside the host counters', (t) => {
  const [first] = assemble([
    '{"type": "map", "data": {"@read": 3}}',
    '{"type": "stats", "data": {"@read__comm": {"bash": {"count": 2, "average": ' +
      '60, "total": 120}, "cat": {"count": 1, "average": 7, "total": 7}}}}',
    '{"type": "map", "data": {"@open__cgroup": {"7": 2, "4242": 1}}}',
    marker,
  ]);
  t.deepEqual([...first!.sample], [['read', 3n]]);
  t.deepEqual(
    first!.keyed.get('comm')?.get('bash'),
    new Map([
      ['read', 2n],
      ['read_bytes', 120n],
    ]),
  );
  t.deepEqual(
    first!.keyed.get('comm')?.get('cat'),
    new Map([
      ['read', 1n],
      ['read_bytes', 7n],
    ]),
  );
  t.deepEqual(first!.keyed.get('cgroup')?.get('4242'), new Map([['open', 1n]]));
});

test('a keyed value that is not an integer is an invalid line, not data', (t) => {
  const records = parseLine('{"type": "map", "data": {"@open__cgroup": {"7": "seven"}}}');
  t.is(records[0]?.type, 'invalid');
});

test('a map named like a key of an unknown kind stays a plain map', (t) => {
  t.deepEqual(parseLine('{"type": "map", "data": {"@open__pid": 4}}'), [{ type: 'map', name: 'open__pid', value: 4n }]);
});

test('keyed totals go on across a backend restart and forget a removed cgroup', (t) => {
  const totals = new KeyedTotals();
  const sample = (open: bigint): KeyedSample => new Map([['cgroup', new Map([['7', new Map([['open', open]])]])]]);
  totals.update(sample(5n));
  totals.startRun();
  totals.update(sample(2n));
  t.is(totals.valuesOf('cgroup').get('7')?.get('open'), 7n);
  t.deepEqual(
    totals.update(sample(1n)).map(({ key, from, to }) => [key, from, to]),
    [['cgroup 7', 2n, 1n]],
    'a total going back is named',
  );
  totals.forget('cgroup', '7');
  t.is(totals.valuesOf('cgroup').size, 0);
});

test("a key's totals move their version once per update that changed them, and name the counters it changed", (t) => {
  const totals = new KeyedTotals();
  const sample = (counters: [string, bigint][]): KeyedSample => new Map([['cgroup', new Map([['7', new Map(counters)]])]]) as KeyedSample;
  const seven = () => totals.valuesOf('cgroup').get('7')!;
  totals.update(
    sample([
      ['open', 1n],
      ['read', 4n],
    ]),
  );
  t.deepEqual([seven().version, seven().changed], [1, ['open', 'read']]);
  totals.update(
    sample([
      ['open', 1n],
      ['read', 9n],
    ]),
  );
  t.deepEqual([seven().version, seven().changed], [2, ['read']], 'an unchanged total is not named');
  totals.update(
    sample([
      ['open', 1n],
      ['read', 9n],
    ]),
  );
  totals.update(
    sample([
      ['open', 0n],
      ['read', 9n],
    ]),
  );
  t.deepEqual([seven().version, seven().changed], [2, ['read']], 'nothing changed, or only went back: the version stays');
});

test("the events a full table left out: the helper's running totals per counter, bpftrace's failed updates at keyed event lines", (t) => {
  const unkeyed: UnkeyedEvents[] = [];
  const assembler = new SampleAssembler({ onSample: (_sample, _keyed, events) => unkeyed.push(events) }, new Map([[12, 'comm' as const]]));
  const push = (lines: readonly string[]): void => lines.flatMap(parseLine).forEach((record) => assembler.push(record));
  // The helper: a read's bytes and errors are not events of their own.
  push(['{"type": "map", "data": {"@unkeyed__comm": {"read": 5, "read_bytes": 900, "read_error": 1, "open": 2}}}', marker]);
  t.deepEqual(unkeyed.at(-1), new Map([['comm', 7n]]));
  push(['{"type": "map", "data": {"@unkeyed__cgroup": {"read": 3}}}', '{"type": "map", "data": {"@unkeyed__comm": {"read": 6}}}', marker]);
  t.deepEqual(
    unkeyed.at(-1),
    new Map([
      ['comm', 6n],
      ['cgroup', 3n],
    ]),
  );
  // bpftrace: one event per failed update at a keyed event line; elsewhere (a bytes map, the stash) none.
  const full = (line: number): string =>
    `{"type": "helper_error", "msg": "Map full", "helper": "map_update_elem", "retcode": -7, "line": ${line}, "col": 3}`;
  push([full(12), full(12), full(13), marker]);
  t.is(unkeyed.at(-1)?.get('comm'), 8n);
});
