// SPDX-License-Identifier: GPL-3.0-or-later
// The shape every module error shares: a stable `code` to test on, a message naming cause and fix, the cause.

/** Every code an ebpf-process error carries, stated once: each error class takes its own part of it. */
export type ErrorCode =
  // The command line: a bad flag, a `--facts` file (CliError).
  | 'ebpf.flag.invalid'
  | 'ebpf.facts.invalid'
  | 'ebpf.facts.unreadable'
  // A helper binary that cannot be run here: its backend is ruled out (HelperNotRunnable).
  | 'ebpf.helper.not-runnable'
  // install, uninstall and check (InstallError).
  | 'ebpf.install.not-root'
  | 'ebpf.install.missing-source'
  | 'ebpf.install.unsafe-path'
  | 'ebpf.install.no-group'
  | 'ebpf.install.no-backend'
  | 'ebpf.install.setcap'
  // selftest: its workload, options and backend (SelftestError); no usable backend at all (CliError, exit code 1).
  | 'ebpf.selftest.no-compiler'
  | 'ebpf.selftest.build-failed'
  | 'ebpf.selftest.bad-option'
  | 'ebpf.selftest.workload-failed'
  | 'ebpf.selftest.bad-report'
  | 'ebpf.selftest.cgroup'
  | 'ebpf.selftest.no-backend'
  | 'ebpf.selftest.backend-failed';

export class CodedError<Code extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    // Not enumerable, as Error's own name: it stays out of JSON and assertion diffs.
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false });
  }
}
