// SPDX-License-Identifier: GPL-3.0-or-later
// Which backends can run here, and in which order the plugin tries them.
import type { BackendChoice } from '../config/defaults.js';
import type { KernelFacts } from '../kernel/facts.js';
import type { Backend } from '../plan/plan-types.js';

export interface BackendAvailability {
  readonly backend: Backend;
  readonly available: boolean;
  /** Where it is, or what to do to get it. */
  readonly detail: string;
}

export const backendAvailability = (facts: KernelFacts, helperPath: string | null): BackendAvailability[] => [
  facts.bpftrace
    ? { backend: 'bpftrace', available: true, detail: `bpftrace ${facts.bpftrace.version} at ${facts.bpftrace.path}` }
    : { backend: 'bpftrace', available: false, detail: 'bpftrace is not installed (apt-get install bpftrace) or `bpftrace path` is wrong' },
  helperPath
    ? { backend: 'helper', available: true, detail: `helper at ${helperPath}` }
    : { backend: 'helper', available: false, detail: 'the helper is not built for this arch (make -C bpf-fallback)' },
];

/** auto: bpftrace first (readable scripts), the helper as fallback; an explicit choice still falls back. */
export const backendOrder = (choice: BackendChoice, availability: readonly BackendAvailability[]): BackendAvailability[] => {
  const preferred: Backend = choice === 'helper' ? 'helper' : 'bpftrace';
  return [...availability]
    .sort((a, b) => Number(b.backend === preferred) - Number(a.backend === preferred))
    .filter((entry) => entry.available);
};
