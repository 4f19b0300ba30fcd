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

const chart = { type: 'cgroup_web', id: 'file_open', dimensions: [{ id: 'open' }, { id: 'close' }] };
const slot = (value: bigint | string): string => String(value).padStart(20);

test('ready blocks: each value in a slot of its own, written in place; a gap leaves the SET line out', (t) => {
  const blocks = new ReadyBlocks([chart]);
  const update = (values: Record<string, bigint | undefined>, stamp?: number): string => {
    const text = new ProtocolBytes();
    blocks.write((dimension) => values[dimension.id], stamp, text);
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

test('ready blocks with the same stamp keep their values without reading them; another stamp reads them again', (t) => {
  const blocks = new ReadyBlocks([chart, { ...chart, id: 'file_close' }]);
  let reads = 0;
  const update = (open: bigint, stamp: number): string => {
    const text = new ProtocolBytes();
    blocks.write(
      (dimension) => {
        reads += 1;
        return dimension.id === 'open' ? open : 0n;
      },
      stamp,
      text,
    );
    return text.take().toString();
  };
  const first = update(1n, 1);
  t.is(
    first,
    ['file_open', 'file_close'].map((id) => `BEGIN cgroup_web.${id}\nSET open = ${slot(1n)}\nSET close = ${slot(0n)}\nEND\n`).join(''),
  );
  t.is(reads, 4);
  t.is(update(2n, 1), first, 'same stamp: the values are not read');
  t.is(reads, 4);
  t.is(update(2n, 2), first.replaceAll(`SET open = ${slot(1n)}`, `SET open = ${slot(2n)}`), 'a new stamp: read again');
  t.is(reads, 8);
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
