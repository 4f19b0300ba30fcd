// SPDX-License-Identifier: GPL-3.0-or-later
// Every recorded or documented bpftrace output fixture through the line parser, with the records it must yield.
import { readdir, readFile } from 'node:fs/promises';
import test from 'ava';
import { parseLine, type OutputRecord } from '../../src/samples/parse-line.js';

const fixturesDir = new URL('../fixtures/bpftrace-output/', import.meta.url);

const fixtureFiles = async (): Promise<string[]> => {
  const versions = await readdir(fixturesDir, { withFileTypes: true });
  const files = await Promise.all(
    versions
      .filter((entry) => entry.isDirectory())
      .map(async (version) =>
        (await readdir(new URL(`${version.name}/`, fixturesDir)))
          .filter((file) => file.endsWith('.ndjson'))
          .map((file) => `${version.name}/${file}`),
      ),
  );
  return files.flat().sort();
};

// The writer ends every line with a newline; the last split element is that newline's empty tail, not a line.
const parseFixture = async (file: string): Promise<OutputRecord[]> =>
  (await readFile(new URL(file, fixturesDir), 'utf8')).split('\n').slice(0, -1).flatMap(parseLine);

const map = (name: string, value: bigint | null): OutputRecord => ({ type: 'map', name, value });
const stats = (name: string, count: bigint | null, total: bigint | null): OutputRecord => ({ type: 'stats', name, count, total });
const sample: OutputRecord = { type: 'printf', text: 'sample\n' };
const keyedMaps = (spaced: string, big: bigint): OutputRecord[] => [
  {
    type: 'keyed',
    name: 'open__cgroup',
    // In the order the backend printed them (JSON.parse would have put index-like keys in ascending order).
    entries: new Map([
      ['4242', 1n],
      ['7', 2n],
    ]),
  },
  {
    type: 'keyed',
    name: 'read__comm',
    entries: new Map([
      [spaced, 1n],
      ['bash', 2n],
    ]),
    totals: new Map([
      [spaced, 5n],
      ['bash', 120n],
    ]),
  },
  { type: 'keyed', name: 'write_bytes__comm', entries: new Map([['bash', big]]) },
];
const blank: OutputRecord = { type: 'blank' };
const attached = (probes: number): OutputRecord => ({ type: 'attached', probes });
const lost = (events: number): OutputRecord => ({ type: 'lost', events });
/** Error records are matched on the facts their message must carry, not on its wording. */
const error = (...mentions: string[]) => ({ type: 'error' as const, mentions });
type Expected = OutputRecord | ReturnType<typeof error>;

const expectations: Record<string, Expected[]> = {
  '0.17/interval-and-exit-dump.ndjson': [
    attached(3),
    map('open', 189n),
    map('read', 24n),
    map('read_bytes', 22977n),
    sample,
    map('open', 375n),
    map('read', 48n),
    map('read_bytes', 45954n),
    sample,
    map('open', 499n),
    map('read', 64n),
    map('read_bytes', 61272n),
    sample,
    blank,
    blank,
    map('open', 499n),
    map('read', 64n),
    map('read_bytes', 61272n),
  ],
  '0.17/quiet-cleared-scalar-in-exit-dump.ndjson': [map('open', 1n), sample, blank, blank, map('open', 0n)],
  '0.17/helper-error.ndjson': [attached(1), error('helper_error', 'probe_read_user', '-14'), sample, blank, blank, map('x', 0n)],
  '0.17/integer-above-2-53.ndjson': [
    attached(1),
    map('big', 9007199254740993n),
    map('neg', -5n),
    blank,
    blank,
    map('big', 9007199254740993n),
    map('neg', -5n),
  ],
  // A keyed map's object is not a count: the parser yields no value for it.
  '0.17/empty-keyed-map-no-line.ndjson': [attached(1), map('k', null), sample, blank, blank],
  '0.17/lost-events.ndjson': [
    attached(2),
    { type: 'printf', text: '3898 3898 0 -411616487\n' },
    { type: 'printf', text: '3882 3882 1 -411124743\n' },
    lost(15),
    lost(521),
    { type: 'printf', text: '9391 9391 0 81223405\n' },
    blank,
    blank,
  ],
  // stats() maps (the dialect's countWithTotal): a total above 2^53 printed bare up to 0.23, kept exact.
  '0.17/stats-big-total.ndjson': [
    attached(3),
    stats('read', 2n, 9007199254740993n),
    stats('write', 1n, 0n),
    sample,
    blank,
    blank,
    stats('read', 2n, 9007199254740993n),
    stats('write', 1n, 0n),
  ],
  '0.23/stats-big-total.ndjson': [
    attached(3),
    stats('read', 2n, 9007199254740993n),
    stats('write', 1n, 0n),
    sample,
    blank,
    blank,
    stats('read', 2n, 9007199254740993n),
    stats('write', 1n, 0n),
  ],
  '0.20/interval-and-exit-dump.ndjson': [
    attached(3),
    map('open', 12n),
    map('read', 40n),
    sample,
    map('open', 30n),
    map('read', 95n),
    sample,
    blank,
    blank,
    map('open', 30n),
    map('read', 95n),
  ],
  '0.20/helper-error-without-msg.ndjson': [attached(1), error('helper_error', 'probe_read_user', '-14'), sample],
  '0.22/helper-error-with-msg.ndjson': [attached(1), error('helper_error', 'Bad address', 'probe_read_user', '-14'), sample],
  // Recorded by record.sh from the matrix's real 0.23.2 (Debian 13) and 0.27.1 (sid).
  '0.23/interval-and-exit-dump.ndjson': [
    attached(3),
    map('open', 6n),
    map('never', 0n),
    map('big', 9007199254740993n),
    sample,
    map('open', 7n),
    map('never', 0n),
    map('big', 9007199254740993n),
    sample,
    blank,
    blank,
    map('big', 9007199254740993n),
    map('never', 0n),
    map('open', 7n),
  ],
  // print_maps_on_exit = 0 stops the dump, not the two blank lines before it; the emptied keyed map prints nothing.
  '0.23/plugin-settings.ndjson': [
    attached(3),
    { type: 'ready' },
    map('open', 6n),
    map('never', 0n),
    map('big', 9007199254740993n),
    sample,
    map('open', 7n),
    map('never', 0n),
    map('big', 9007199254740993n),
    sample,
    blank,
    blank,
  ],
  // A failed delete of a missing key is harmless (a script without has_key does it): not a problem to report.
  '0.23/failed-delete.ndjson': [attached(1), { type: 'absent_key_deleted' }, sample, blank, blank],
  // 0.27 prints a never-written scalar as 0 at intervals (0.25/0.26 printed no line) and leaves it out of the exit
  // dump; integers above 2^53 are strings.
  '0.27/interval-and-exit-dump.ndjson': [
    attached(3),
    map('open', 6n),
    map('never', 0n),
    map('big', 9007199254740993n),
    sample,
    map('open', 7n),
    map('never', 0n),
    map('big', 9007199254740993n),
    sample,
    map('big', 9007199254740993n),
    map('open', 7n),
  ],
  '0.27/plugin-settings.ndjson': [
    attached(3),
    { type: 'ready' },
    map('open', 6n),
    map('never', 0n),
    map('big', 9007199254740993n),
    sample,
    map('open', 7n),
    map('never', 0n),
    map('big', 9007199254740993n),
    sample,
  ],
  '0.27/failed-delete.ndjson': [attached(1), sample],
  '0.24/interval-and-exit-dump-no-blank-lines.ndjson': [
    attached(3),
    map('open', 12n),
    map('read', 40n),
    sample,
    map('open', 30n),
    map('read', 95n),
    sample,
    map('open', 30n),
    map('read', 95n),
  ],
  '0.24/empty-map-object.ndjson': [map('open', 12n), map('open_error', null), map('calls', null), sample],
  '0.24/integers-as-strings.ndjson': [
    map('read_bytes', 9007199254740993n),
    map('write_bytes', 18446744073709551615n),
    map('read', 9007199254740992n),
    sample,
  ],
  '0.24/count-fields.ndjson': [attached(2), sample, lost(521), sample],
  '0.24/helper-error-with-filename.ndjson': [
    error('helper_error', 'Bad address', 'probe_read_user', '-14'),
    // A full map: an event its key table did not count, at that line of the script.
    { type: 'map_full', line: 2 },
    sample,
  ],
  '0.24/runtime-error-and-errorf.ndjson': [
    error('runtime_error', 'example runtime failure'),
    error('errorf', 'open count went backwards'),
    sample,
  ],
  // 0.27 prints a never-written stats map with zeros, and as {} in its exit dump; a big total as a string.
  '0.27/stats-never-written-and-string-total.ndjson': [
    attached(3),
    stats('never', 0n, 0n),
    stats('read', 2n, 9007199254740993n),
    stats('write', 1n, 0n),
    sample,
  ],
  '0.27/stats-empty-in-exit-dump.ndjson': [attached(2), stats('r', 0n, 0n), map('c', 0n), stats('r', null, null)],
  '0.25/empty-maps-skipped.ndjson': [attached(3), map('open', 12n), sample, map('open', 30n), map('open_error', 1n), sample],
  '0.25/probes-attached-marker.ndjson': [attached(2), { type: 'ready' }, map('open', 12n), sample],
  '0.25/warnf-strings-and-counts.ndjson': [
    error('warnf', 'bpftrace older than expected'),
    map('read_bytes', 9007199254740993n),
    lost(3),
    sample,
  ],
  // Maps kept per key (src/plan/counter-keys.ts): cgroup ids and command names, a keyed stats() map, a big sum.
  '0.17/keyed-maps.ndjson': [
    attached(1),
    ...keyedMaps('a b', 9007199254740993n),
    sample,
    blank,
    blank,
    ...keyedMaps('a b', 9007199254740993n),
  ],
  '0.23/keyed-maps.ndjson': [attached(1), ...keyedMaps('a b', 9007199254740993n), sample, blank, blank],
  // 0.27 took the key "a b" of the recording's here-string as "ab".
  '0.27/keyed-maps.ndjson': [attached(1), ...keyedMaps('ab', 9007199254740993n), sample],
};

const files = await fixtureFiles();

test('every fixture file has its expected records here, and every expectation has its file', (t) => {
  t.deepEqual(files, Object.keys(expectations).sort());
});

for (const file of files) {
  test(`${file} parses without throwing and yields no invalid record`, async (t) => {
    const records = await parseFixture(file);
    t.deepEqual(
      records.filter((record) => record.type === 'invalid' || record.type === 'ignored'),
      [],
    );
  });

  test(`${file} yields its expected records`, async (t) => {
    const records = await parseFixture(file);
    const expected = expectations[file] ?? [];
    t.is(records.length, expected.length, 'number of records');
    expected.forEach((want, index) => {
      const got = records[index];
      if ('mentions' in want) {
        t.is(got?.type, 'error', `record ${index}`);
        const message = got?.type === 'error' ? got.message : '';
        for (const mention of want.mentions) t.true(message.includes(mention), `record ${index}: "${message}" lacks "${mention}"`);
      } else {
        t.deepEqual(got, want, `record ${index}`);
      }
    });
  });
}
