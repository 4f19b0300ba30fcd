// SPDX-License-Identifier: GPL-3.0-or-later
// The shape every module error shares: a stable `code` to test on, a message naming cause and fix, the cause.
export class CodedError<Code extends string> extends Error {
  constructor(readonly code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Not enumerable, as Error's own name: it stays out of JSON and assertion diffs.
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false });
  }
}
