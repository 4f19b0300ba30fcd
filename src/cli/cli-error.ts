// SPDX-License-Identifier: GPL-3.0-or-later
// An error meant for the user: a message that names the cause and the fix, a stable code, and the exit code.
import { CodedError } from '../errors/coded-error.js';

export class CliError extends CodedError<string> {
  constructor(message: string, code: string, readonly exitCode = 2) {
    super(code, message);
  }
}
