// SPDX-License-Identifier: GPL-3.0-or-later
// An error meant for the user: a message that names the cause and the fix, a stable code, and the exit code.
import { CodedError, type ErrorCode } from '../errors/coded-error.js';

export class CliError extends CodedError {
  constructor(
    message: string,
    code: ErrorCode,
    readonly exitCode = 2,
  ) {
    super(code, message);
  }
}
