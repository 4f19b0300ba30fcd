// SPDX-License-Identifier: GPL-3.0-or-later
// Records into samples: the attached marker completes a sample of what was printed so far (nothing, at attach).
import test from 'ava';
import type { OutputRecord } from '../../src/samples/parse-line.js';
import { SampleAssembler, type Sample } from '../../src/samples/sample-assembler.js';

const assemble = (records: readonly OutputRecord[]): Sample[] => {
  const samples: Sample[] = [];
  const assembler = new SampleAssembler({ onSample: (sample) => samples.push(sample) });
  records.forEach((record) => assembler.push(record));
  return samples;
};

test('the attached marker is a sample of no maps, and the next marker carries the maps after it', (t) => {
  const samples = assemble([
    { type: 'attached', probes: 2 },
    { type: 'ready' },
    { type: 'map', name: 'open', value: 12n },
    { type: 'printf', text: 'sample\n' },
  ]);
  t.deepEqual(
    samples.map((sample) => [...sample]),
    [[], [['open', 12n]]],
  );
});

test("a stats() map gives its count to the counter it is named after and its total to that counter's total", (t) => {
  const samples = assemble([
    { type: 'stats', name: 'read', count: 52n, total: 29197n },
    // Empty (0.24's {}): no data; a stats map of no counter of ours: ignored.
    { type: 'stats', name: 'write', count: null, total: null },
    { type: 'stats', name: 'other', count: 1n, total: 2n },
    { type: 'printf', text: 'sample\n' },
  ]);
  t.deepEqual(
    samples.map((sample) => [...sample]),
    [
      [
        ['read', 52n],
        ['read_bytes', 29197n],
      ],
    ],
  );
});
