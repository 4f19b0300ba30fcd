// SPDX-License-Identifier: GPL-3.0-or-later
// One update's protocol text as bytes (src/protocol/protocol-bytes.ts) and the data blocks written into it
// (src/protocol/data-block-lines.ts): the same text whatever the values did since the last update.
import test from 'ava';
import { dataBlockLines, ReadyBlocks } from '../../src/protocol/data-block-lines.js';
import { tokenize } from '../helpers/netdata-tokenizer.js';
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

const chart = {
  type: 'cgroup_web',
  id: 'file_open',
  dimensions: [
    { id: 'open', plus: ['open'] },
    { id: 'close', plus: ['close'] },
  ],
};
const slot = (value: bigint | string): string => String(value).padStart(20);

test('ready blocks: each value in a slot of its own, written in place; a gap leaves the SET line out', (t) => {
  const blocks = new ReadyBlocks([chart]);
  const update = (values: Record<string, bigint | undefined>): string => {
    const text = new ProtocolBytes();
    blocks.write((dimension) => values[dimension.id], undefined, text);
    return text.take().toString();
  };
  t.is(update({ open: 1n, close: 2n }), `BEGIN cgroup_web.file_open\nSET open = ${slot(1n)}\nSET close = ${slot(2n)}\nEND\n`);
  t.is(update({ open: 1n, close: 2n }), `BEGIN cgroup_web.file_open\nSET open = ${slot(1n)}\nSET close = ${slot(2n)}\nEND\n`, 'unchanged');
  t.is(
    update({ open: 12345n, close: 2n }),
    `BEGIN cgroup_web.file_open\nSET open = ${slot(12345n)}\nSET close = ${slot(2n)}\nEND\n`,
    'one changed',
  );
  t.is(update({ open: 5n, close: undefined }), `BEGIN cgroup_web.file_open\nSET open = ${slot(5n)}\nEND\n`, 'a gap: left out');
  t.is(
    update({ open: 5n, close: 3n }),
    `BEGIN cgroup_web.file_open\nSET open = ${slot(5n)}\nSET close = ${slot(3n)}\nEND\n`,
    'back from a gap',
  );
  t.is(
    update({ open: 1n << 70n, close: -(1n << 70n) }),
    `BEGIN cgroup_web.file_open\nSET open = ${slot((1n << 63n) - 1n)}\nSET close = ${slot(-(1n << 63n))}\nEND\n`,
    'int64',
  );
  t.is(update({ open: undefined, close: undefined }), 'BEGIN cgroup_web.file_open\nEND\n');
});

test('ready blocks read no value at the same version, the changed counters one version on, every value otherwise', (t) => {
  const blocks = new ReadyBlocks([chart, { ...chart, id: 'file_close' }]);
  const read: string[] = [];
  const update = (open: bigint, close: bigint, version: number, changed: string[] = []): string => {
    const text = new ProtocolBytes();
    blocks.write(
      (dimension) => {
        read.push(dimension.id);
        return dimension.id === 'open' ? open : close;
      },
      { version, changed },
      text,
    );
    return text.take().toString();
  };
  const block = (open: bigint, close: bigint) =>
    ['file_open', 'file_close'].map((id) => `BEGIN cgroup_web.${id}\nSET open = ${slot(open)}\nSET close = ${slot(close)}\nEND\n`).join('');
  t.is(update(1n, 0n, 1), block(1n, 0n));
  t.is(read.splice(0).length, 4, 'the first write reads every value');
  t.is(update(2n, 5n, 1), block(1n, 0n), 'same version: nothing read');
  t.deepEqual(read.splice(0), []);
  t.is(update(2n, 5n, 2, ['open']), block(2n, 0n), 'one on: only what the changed counters add is read');
  t.deepEqual(read.splice(0), ['open', 'open']);
  t.is(update(3n, 5n, 4, ['open']), block(3n, 5n), 'a version skipped: every value read');
  t.is(read.splice(0).length, 4);
  t.is(update(3n, 7n, 1), block(3n, 7n), 'a version back (totals made again): every value read');
  t.is(read.splice(0).length, 4);
});

test('ready blocks without a stamp read every value every update', (t) => {
  const blocks = new ReadyBlocks([chart]);
  let reads = 0;
  for (const open of [1n, 1n]) {
    blocks.write(
      (dimension) => {
        reads += 1;
        return dimension.id === 'open' ? open : 0n;
      },
      undefined,
      new ProtocolBytes(),
    );
  }
  t.is(reads, 4);
});

test("Netdata reads a ready block's padded value as the value", (t) => {
  t.deepEqual(tokenize(`SET open = ${slot(-42n)}`), ['SET', 'open', '-42']);
});

test('dataBlockLines gives the same block as lines', (t) => {
  t.deepEqual(dataBlockLines({ id: 'x', dimensions: [{ id: 'a', name: 'a', plus: [] }] }, new Map([['a', 4n]]), 2e6), [
    'BEGIN ebpf.x 2000000',
    'SET a = 4',
    'END',
  ]);
});
