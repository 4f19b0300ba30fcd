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
    { type: 'attached', probes: 2 }, { type: 'ready' },
    { type: 'map', name: 'open', value: 12n }, { type: 'printf', text: 'sample\n' },
  ]);
  t.deepEqual(samples.map((sample) => [...sample]), [[], [['open', 12n]]]);
});
