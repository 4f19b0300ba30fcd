// SPDX-License-Identifier: GPL-3.0-or-later
// What to spawn for a backend: the same shape for bpftrace and the helper.
import type { Outcome } from '../outcome.js';
import type { CounterKey } from '../plan/counter-keys.js';
import type { Backend, Plan } from '../plan/plan-types.js';

export interface BackendCommand {
  readonly backend: Backend;
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Written to the child's stdin (bpftrace reads its script there: no temp file, nothing in ps). */
  readonly input?: string;
  /** bpftrace: the script's lines that count an event per key (a full map's failed update there is an event its
   *  table did not count); the helper prints those counts itself. */
  readonly keyedEventLines?: ReadonlyMap<number, CounterKey>;
  /** Given to the child as fd 3, which args name as /dev/fd/3 (a file bpftrace reads: backend/unlinked-file.ts). */
  readonly fd3?: string;
}

/** Builds the command for a backend, or says why it cannot run. */
export type CommandFactory = (plan: Plan) => Promise<Outcome<BackendCommand>>;
