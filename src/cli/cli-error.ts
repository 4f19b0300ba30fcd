// SPDX-License-Identifier: GPL-3.0-or-later
// An error meant for the user: a message that names the cause and the fix, and a stable code.
export class CliError extends Error {
  constructor(message: string, readonly code: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}
