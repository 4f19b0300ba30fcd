// SPDX-License-Identifier: GPL-3.0-or-later
// Where the kernel keeps the keyed totals (cgroups = yes, apps = yes), chosen from the facts as an attach point is:
// the helper caches each task's slots in task local storage where the kernel has it (no hash lookup per event,
// bpf-fallback/process.bpf.c), and keeps per-CPU hashes elsewhere; bpftrace's language has hash maps only.
import type { KernelFacts } from '../kernel/facts.js';
import type { Backend, KeyStore } from './plan-types.js';

export const chooseKeyStore = (facts: Pick<KernelFacts, 'taskStorage' | 'notes'>, backend: Backend): KeyStore => {
  if (backend === 'bpftrace')
    return {
      store: 'hash',
      reason: 'bpftrace keeps keyed counts in per-CPU hash maps only: its language has no task or cgroup local storage',
    };
  if (facts.taskStorage === false)
    return { store: 'hash', reason: `the kernel lacks task local storage (5.11): ${facts.notes?.['taskStorage'] ?? 'not loadable'}` };
  return {
    store: 'slots',
    reason: facts.taskStorage
      ? (facts.notes?.['taskStorage'] ?? 'task local storage loads')
      : 'not probed: the helper uses task local storage where it loads, per-CPU hashes otherwise',
  };
};
