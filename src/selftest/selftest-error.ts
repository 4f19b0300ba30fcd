// SPDX-License-Identifier: GPL-3.0-or-later
// The one error the selftest modules throw: a stable code, and a message that names the cause and the fix.
import { CodedError } from '../errors/coded-error.js';

export type SelftestErrorCode =
  | 'ebpf.selftest.no-compiler'
  | 'ebpf.selftest.build-failed'
  | 'ebpf.selftest.bad-option'
  | 'ebpf.selftest.workload-failed'
  | 'ebpf.selftest.bad-report'
  | 'ebpf.selftest.cgroup';

export class SelftestError extends CodedError<SelftestErrorCode> {}
