// SPDX-License-Identifier: GPL-3.0-or-later
// What to spawn for a backend: the same shape for bpftrace and the helper.
import type { Backend } from '../plan/plan-types.js';

export interface BackendCommand {
  readonly backend: Backend;
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Written to the child's stdin (bpftrace reads its script there: no temp file, nothing in ps). */
  readonly input?: string;
}
