// SPDX-License-Identifier: GPL-3.0-or-later
// The one error the selftest modules throw: a stable code, and a message that names the cause and the fix.
import { CodedError, type ErrorCode } from '../errors/coded-error.js';

export type SelftestErrorCode = Extract<ErrorCode, `ebpf.selftest.${string}`>;

export class SelftestError extends CodedError<SelftestErrorCode> {}
