// SPDX-License-Identifier: GPL-3.0-or-later
// The one error install, uninstall and check throw: a stable code, the cause, and the fix in the message.
import { CodedError, type ErrorCode } from '../errors/coded-error.js';

export type InstallErrorCode = Extract<ErrorCode, `ebpf.install.${string}`>;

export class InstallError extends CodedError<InstallErrorCode> {}
