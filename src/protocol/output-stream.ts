// SPDX-License-Identifier: GPL-3.0-or-later
// Write protocol lines to stdout and notice when Netdata stops reading (EPIPE): then the plugin must exit.
import type { Writable } from 'node:stream';

export class ProtocolOutput {
  private closed = false;

  constructor(
    private readonly stream: Writable,
    private readonly onClosed: () => void,
  ) {
    stream.on('error', () => this.markClosed());
    stream.on('close', () => this.markClosed());
  }

  /** One write per block: Netdata's parser reads whole lines, and a pipe is block-buffered otherwise. Lines, or
   *  text already encoded with its lines ended (protocol-bytes.ts). */
  write(lines: readonly string[] | Uint8Array): void {
    if (this.closed || lines.length === 0) return;
    this.stream.write(lines instanceof Uint8Array ? lines : `${lines.join('\n')}\n`);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
  }
}
