// SPDX-License-Identifier: GPL-3.0-or-later
// One update's protocol text built as UTF-8 bytes in a buffer kept from update to update. At 500 cgroups the data
// blocks are ~5,500 charts and ~400 KB a second: made as strings, joining and encoding them cost the plugin more
// than everything else it does; copied as bytes made once per chart (data-block-lines.ts), they cost little.

export class ProtocolBytes {
  #buffer: Buffer;
  #length = 0;

  constructor(initialBytes = 4096) {
    this.#buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Each line, ended by a newline. */
  lines(lines: readonly string[]): void {
    for (const line of lines) {
      // At most 3 UTF-8 bytes per UTF-16 unit, plus the newline.
      this.#reserve(line.length * 3 + 1);
      this.#length += this.#buffer.write(line, this.#length);
      this.#buffer[this.#length++] = 0x0a;
    }
  }

  /** Text already encoded, its lines ended. */
  bytes(chunk: Uint8Array): void {
    this.#reserve(chunk.length);
    this.#buffer.set(chunk, this.#length);
    this.#length += chunk.length;
  }

  get length(): number {
    return this.#length;
  }

  /** What was added since the last take, as a buffer of its own (the stream keeps it until written); starts over. */
  take(): Buffer {
    const taken = Buffer.from(this.#buffer.subarray(0, this.#length));
    this.#length = 0;
    return taken;
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + bytes));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }
}
