// SPDX-License-Identifier: GPL-3.0-or-later
// Split a child's stdout into lines without ever holding more than one bounded line: readline would buffer
// a runaway line without end (a backend printing without newlines would eat the plugin's memory).
import type { Readable } from 'node:stream';

export interface LineEvents {
  readonly onLine: (line: string) => void;
  /** A line longer than the limit: its text is dropped, only its length is kept. */
  readonly onOversized: (length: number) => void;
}

/** Resolves when the stream closes. */
export const readBoundedLines = (input: Readable, maxLength: number, events: LineEvents): Promise<void> =>
  new Promise((resolve) => {
    let pending = '';
    let skipped = 0;
    const finishLine = (piece: string): void => {
      if (skipped > 0) events.onOversized(skipped + piece.length);
      else if (pending.length + piece.length > maxLength) events.onOversized(pending.length + piece.length);
      else events.onLine((pending + piece).replace(/\r$/, ''));
      pending = '';
      skipped = 0;
    };
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      let start = 0;
      for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
        finishLine(chunk.slice(start, newline));
        start = newline + 1;
      }
      const rest = chunk.slice(start);
      if (skipped > 0) skipped += rest.length;
      else if (pending.length + rest.length > maxLength) {
        skipped = pending.length + rest.length;
        pending = '';
      } else pending += rest;
    });
    input.once('close', () => {
      if (pending !== '' || skipped > 0) finishLine('');
      resolve();
    });
  });
