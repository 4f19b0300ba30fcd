// SPDX-License-Identifier: GPL-3.0-or-later
// The one error install, uninstall and check throw: a stable code, the cause, and the fix in the message.
import { CodedError } from '../errors/coded-error.js';

export type InstallErrorCode =
  | 'ebpf.install.not-root'
  | 'ebpf.install.missing-source'
  | 'ebpf.install.unsafe-path'
  | 'ebpf.install.no-group'
  | 'ebpf.install.no-backend'
  | 'ebpf.install.setcap';

export class InstallError extends CodedError<InstallErrorCode> {}
