// SPDX-License-Identifier: GPL-3.0-or-later
// Which backends can run here, and in which order the plugin tries them.
import { describeDialect, dialectFor } from './bpftrace/dialect.js';
import { missingBtfDetail, missingKernelBtf } from './bpftrace/kernel-btf-seen.js';
import type { BackendChoice } from '../config/defaults.js';
import type { KernelFacts } from '../kernel/facts.js';
import type { Backend } from '../plan/plan-types.js';
import type { Outcome } from '../outcome.js';

export interface BackendAvailability {
  readonly backend: Backend;
  readonly available: boolean;
  /** Where it is, or what to do to get it. */
  readonly detail: string;
}

const bpftraceAvailability = (facts: KernelFacts, problem: string | undefined): BackendAvailability => {
  if (problem) return { backend: 'bpftrace', available: false, detail: problem };
  if (!facts.bpftrace) return { backend: 'bpftrace', available: false, detail: 'bpftrace is not installed (apt-get install bpftrace)' };
  // bpftrace runs with our privileges. Before 0.25 it insists on euid 0; 0.25+ would run with file capabilities,
  // but it demands CAP_DAC_OVERRIDE, which lets whoever runs it overwrite any file (-o): not offered
  // (docs/privileges.md, test/matrix/capable-bpftrace.test.ts).
  if (!facts.privileges.canLoadBpf) {
    return {
      backend: 'bpftrace',
      available: false,
      detail:
        `bpftrace ${facts.bpftrace.version} is only run as root; this ` +
        `process is uid ${facts.privileges.uid} without CAP_BPF+CAP_PERFMON`,
    };
  }
  const dialect = dialectFor(facts.bpftrace.version);
  const missing = missingKernelBtf(facts, dialect);
  if (missing) return { backend: 'bpftrace', available: false, detail: missingBtfDetail(missing) };
  return {
    backend: 'bpftrace',
    available: true,
    detail: `bpftrace ${facts.bpftrace.version} at ${facts.bpftrace.path}, ${describeDialect(dialect)}`,
  };
};

// Unprivileged, we can only run a helper whose own probe said it loads BPF (file capabilities).
const helperAvailability = (facts: KernelFacts, helper: Outcome<string>): BackendAvailability => {
  if (!helper.ok) return { backend: 'helper', available: false, detail: helper.reason };
  if (facts.privileges.canLoadBpf) return { backend: 'helper', available: true, detail: `helper at ${helper.value}` };
  const probed = facts.privileges.helper;
  return probed?.path === helper.value && probed.canLoadBpf
    ? { backend: 'helper', available: true, detail: `helper at ${helper.value} (loads BPF through its file capabilities)` }
    : {
        backend: 'helper',
        available: false,
        detail:
          `helper at ${helper.value} cannot load BPF as uid ${facts.privileges.uid}: ` +
          `it lacks its file capabilities (sudo ebpf-process install)`,
      };
};

// A facts file's host: what its facts recorded of the helper there (its probe), else the package's, assumed built.
const factsHostHelperAvailability = (facts: KernelFacts): BackendAvailability => {
  const probed = facts.privileges.helper;
  const which = probed ? `that host's helper at ${probed.path}` : "the package's helper on that host, assumed built: its facts record none";
  return facts.privileges.canLoadBpf || probed?.canLoadBpf
    ? { backend: 'helper', available: true, detail: which }
    : { backend: 'helper', available: false, detail: `${which} cannot load BPF as uid ${facts.privileges.uid}` };
};

export interface AvailabilityOptions {
  /** What is wrong with the configured `bpftrace path` (Host's bpftraceProblem). */
  readonly bpftraceProblem?: string | undefined;
  /** The facts describe another host (a facts file): its helper cannot be looked at from here. */
  readonly otherHost?: boolean;
}

/** `helper`: the helper binary found here, or why there is none. */
export const backendAvailability = (
  facts: KernelFacts,
  helper: Outcome<string>,
  options: AvailabilityOptions = {},
): BackendAvailability[] => [
  bpftraceAvailability(facts, options.bpftraceProblem),
  options.otherHost ? factsHostHelperAvailability(facts) : helperAvailability(facts, helper),
];

/** auto: bpftrace first (readable scripts), the helper as fallback; an explicit choice still falls back. */
export const backendOrder = (choice: BackendChoice, availability: readonly BackendAvailability[]): BackendAvailability[] => {
  const preferred: Backend = choice === 'helper' ? 'helper' : 'bpftrace';
  return [...availability]
    .sort((a, b) => Number(b.backend === preferred) - Number(a.backend === preferred))
    .filter((entry) => entry.available);
};
