// SPDX-License-Identifier: GPL-3.0-or-later
// One update's protocol text as bytes (src/protocol/protocol-bytes.ts) and the data blocks written into it
// (src/protocol/data-block-lines.ts): the same text the lines would make, whatever the values did since the last update.
import test from 'ava';
import { dataBlockLines, dataBlockWriter, sinceLastBytes } from '../../src/protocol/data-block-lines.js';
import { ProtocolBytes } from '../../src/protocol/protocol-bytes.js';

test('lines and encoded text come out in order, each line ended, past the first buffer size, then it starts over', (t) => {
  const text = new ProtocolBytes(8);
  text.lines(['CHART a.b', 'DIMENSION é']);
  text.bytes(Buffer.from('BEGIN a.b\nEND\n'));
  text.lines(['x'.repeat(100)]);
  t.is(text.take().toString(), `CHART a.b\nDIMENSION é\nBEGIN a.b\nEND\n${'x'.repeat(100)}\n`);
  t.is(text.length, 0);
  text.lines(['END']);
  t.is(text.take().toString(), 'END\n');
});

test('a taken update is its own copy: the next update does not write over it', (t) => {
  const text = new ProtocolBytes(64);
  text.lines(['first']);
  const first = text.take();
  text.lines(['other']);
  t.is(first.toString(), 'first\n');
});

const chart = { id: 'file_open', dimensions: [{ id: 'open' }, { id: 'close' }] };

test('a data block is the same text every update whether its values changed or not', (t) => {
  const write = dataBlockWriter(chart, 'cgroup_web');
  const update = (values: Record<string, bigint | undefined>, microseconds?: number): string => {
    const text = new ProtocolBytes();
    write((dimension) => values[dimension.id], sinceLastBytes(microseconds), text);
    return text.take().toString();
  };
  t.is(update({ open: 1n, close: 2n }), 'BEGIN cgroup_web.file_open\nSET open = 1\nSET close = 2\nEND\n');
  t.is(update({ open: 1n, close: 2n }, 1000400.6), 'BEGIN cgroup_web.file_open 1000401\nSET open = 1\nSET close = 2\nEND\n', 'unchanged');
  t.is(update({ open: 5n, close: 2n }, 999999), 'BEGIN cgroup_web.file_open 999999\nSET open = 5\nSET close = 2\nEND\n', 'one changed');
  t.is(update({ open: 5n, close: undefined }, 0.2), 'BEGIN cgroup_web.file_open 1\nSET open = 5\nEND\n', 'a gap: left out');
  t.is(update({ open: 5n, close: 3n }, 1), 'BEGIN cgroup_web.file_open 1\nSET open = 5\nSET close = 3\nEND\n', 'back from a gap');
  t.is(update({ open: 1n << 70n, close: -(1n << 70n) }), `BEGIN cgroup_web.file_open\nSET open = ${(1n << 63n) - 1n}\nSET close = ${-(1n << 63n)}\nEND\n`, 'int64');
  t.is(update({ open: undefined, close: undefined }), 'BEGIN cgroup_web.file_open\nEND\n');
});

test('dataBlockLines gives the same block as lines', (t) => {
  t.deepEqual(dataBlockLines({ id: 'x', dimensions: [{ id: 'a', name: 'a', plus: [] }] }, new Map([['a', 4n]]), 2e6),
    ['BEGIN ebpf.x 2000000', 'SET a = 4', 'END']);
});
