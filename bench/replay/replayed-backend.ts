// SPDX-License-Identifier: GPL-3.0-or-later
// A backend without the kernel: once a second it prints the keyed totals a real one would print for N busy keys
// (each key's read and read_bytes move, as with bench/micro.c `active`), then the sample marker. `helper` prints
// the first counter's line with every key and the others with only the keys that changed (keyed-report.c);
// `bpftrace` prints every key in every line, as print(@map) does.
import { keyedMapName, type CounterKey } from '../../src/plan/counter-keys.js';
import type { CounterId } from '../../src/plan/counters.js';
import { probesAttachedMarker, sampleMarkerLine } from '../../src/backend/markers.js';
import { replayedKeys } from './replayed-keys.js';

const [style, key, count, counterList] = process.argv.slice(2) as ['helper' | 'bpftrace', CounterKey, string, string];
const counters = counterList.split(',') as CounterId[];
const moving = new Set<CounterId>(['read', 'read_bytes']);
const keys = replayedKeys(key, Number(count)).map((value) => JSON.stringify(value));
const totals = keys.map(() => counters.map(() => 0));

const sample = (): string => {
  const lines = counters.map((counter, index) => {
    const entries: string[] = [];
    keys.forEach((printed, at) => {
      const changes = moving.has(counter);
      if (changes) totals[at]![index]! += counter === 'read' ? 10 : 10 * 4096;
      if (style === 'bpftrace' || index === 0 || changes) entries.push(`${printed}: ${totals[at]![index]}`);
    });
    return `{"type": "map", "data": {"@${keyedMapName(counter, key)}": {${entries.join(', ')}}}}`;
  });
  return `${[...lines, JSON.stringify(sampleMarkerLine)].join('\n')}\n`;
};

process.stdout.write(`${probesAttachedMarker}\n`);
setInterval(() => process.stdout.write(sample()), 1000);
