// SPDX-License-Identifier: GPL-3.0-or-later
// Line-by-line reading of a child's output that keeps draining after the bench stops listening, so a
// chatty child never blocks on a full pipe.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export const onLines = (stream: Readable, onLine: (line: string) => void): void => {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
};

/** The last lines of a stream, to explain a child that died. */
export const keepTail = (stream: Readable, size = 20): (() => string) => {
  const tail: string[] = [];
  onLines(stream, (line) => {
    tail.push(line);
    if (tail.length > size) tail.shift();
  });
  return () => tail.join('\n');
};
