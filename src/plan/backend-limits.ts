// SPDX-License-Identifier: GPL-3.0-or-later
// What a backend cannot do on a host that offers the attach kind: the planner rejects those candidates up
// front, so a plan is right the first time instead of recovering after a failed attach.
import type { Backend } from './plan-types.js';
import type { AttachKind } from './families.js';
import { kernelAtLeast, type KernelFacts } from '../kernel/facts.js';

interface BackendLimit {
  readonly backend: Backend;
  readonly kinds: readonly AttachKind[];
  /** Undefined when the host passes; else why the backend cannot attach this kind here. */
  readonly check: (facts: KernelFacts) => string | undefined;
}

const limits: readonly BackendLimit[] = [
  {
    // bpftrace decides kfunc support from available_filter_functions; libbpf does not read it.
    backend: 'bpftrace',
    kinds: ['fentry', 'fexit'],
    check: (facts) =>
      facts.filterFunctionsReadable
        ? undefined
        : 'bpftrace cannot use fentry: available_filter_functions is not readable (lockdown or no ftrace)',
  },
  {
    // Its fexit programs serve targets with different argument counts, so they read the return value
    // with bpf_get_func_ret, which the kernel has from 5.17 (bpf-fallback/README.md).
    backend: 'helper',
    kinds: ['fexit'],
    check: (facts) =>
      kernelAtLeast(facts, '5.17')
        ? undefined
        : `the helper's fexit programs read the return value with bpf_get_func_ret, which needs kernel 5.17 (this is ${facts.release})`,
  },
];

export const backendLimit = (backend: Backend, kind: AttachKind, facts: KernelFacts): string | undefined =>
  limits
    .filter((limit) => limit.backend === backend && limit.kinds.includes(kind))
    .map((limit) => limit.check(facts))
    .find((reason) => reason !== undefined);
