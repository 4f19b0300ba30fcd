// SPDX-License-Identifier: GPL-3.0-or-later
// Which backends can run here, and in which order the plugin tries them.
import type { BackendChoice } from '../config/defaults.js';
import type { KernelFacts } from '../kernel/facts.js';
import type { Backend } from '../plan/plan-types.js';
import type { HelperLookup } from './helper-backend.js';

export interface BackendAvailability {
  readonly backend: Backend;
  readonly available: boolean;
  /** Where it is, or what to do to get it. */
  readonly detail: string;
}

export const backendAvailability = (facts: KernelFacts, helper: HelperLookup): BackendAvailability[] => [
  facts.bpftrace
    ? { backend: 'bpftrace', available: true, detail: `bpftrace ${facts.bpftrace.version} at ${facts.bpftrace.path}` }
    : { backend: 'bpftrace', available: false, detail: 'bpftrace is not installed (apt-get install bpftrace) or `bpftrace path` is wrong' },
  helper.file === null
    ? { backend: 'helper', available: false, detail: helper.reason }
    : { backend: 'helper', available: true, detail: `helper at ${helper.file}` },
];

/** auto: bpftrace first (readable scripts), the helper as fallback; an explicit choice still falls back. */
export const backendOrder = (choice: BackendChoice, availability: readonly BackendAvailability[]): BackendAvailability[] => {
  const preferred: Backend = choice === 'helper' ? 'helper' : 'bpftrace';
  return [...availability]
    .sort((a, b) => Number(b.backend === preferred) - Number(a.backend === preferred))
    .filter((entry) => entry.available);
};
