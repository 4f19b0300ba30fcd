// SPDX-License-Identifier: GPL-3.0-or-later
// Which backends can run here, and in which order the plugin tries them.
import { describeDialect, dialectFor } from '../backend/bpftrace/dialect.js';
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

const bpftraceAvailability = (facts: KernelFacts): BackendAvailability => {
  if (!facts.bpftrace) return { backend: 'bpftrace', available: false, detail: 'bpftrace is not installed (apt-get install bpftrace) or `bpftrace path` is wrong' };
  // bpftrace runs with our privileges. Before 0.25 it insists on euid 0; 0.25+ would run with file capabilities,
  // but it demands CAP_DAC_OVERRIDE, which lets whoever runs it overwrite any file (-o): not offered
  // (docs/privileges.md, test/matrix/capable-bpftrace.test.ts).
  if (!facts.privileges.canLoadBpf) {
    return { backend: 'bpftrace', available: false, detail: `bpftrace ${facts.bpftrace.version} is only run as root; this process is uid ${facts.privileges.uid} without CAP_BPF+CAP_PERFMON` };
  }
  const dialect = dialectFor(facts.bpftrace.version);
  if (dialect.tracepointArgsNeedBtf && !facts.btf) {
    return { backend: 'bpftrace', available: false, detail: `bpftrace ${facts.bpftrace.version} reads tracepoint arguments only from kernel BTF, which this kernel lacks` };
  }
  return { backend: 'bpftrace', available: true, detail: `bpftrace ${facts.bpftrace.version} at ${facts.bpftrace.path}, ${describeDialect(dialect)}` };
};

// Unprivileged, we can only run a helper whose own probe said it loads BPF (file capabilities).
const helperAvailability = (facts: KernelFacts, helper: HelperLookup): BackendAvailability => {
  if (helper.file === null) return { backend: 'helper', available: false, detail: helper.reason };
  if (facts.privileges.canLoadBpf) return { backend: 'helper', available: true, detail: `helper at ${helper.file}` };
  const probed = facts.privileges.helper;
  return probed?.path === helper.file && probed.canLoadBpf
    ? { backend: 'helper', available: true, detail: `helper at ${helper.file} (loads BPF through its file capabilities)` }
    : { backend: 'helper', available: false, detail: `helper at ${helper.file} cannot load BPF as uid ${facts.privileges.uid}: it lacks its file capabilities (sudo ebpf-process install)` };
};

export const backendAvailability = (facts: KernelFacts, helper: HelperLookup): BackendAvailability[] => [
  bpftraceAvailability(facts),
  helperAvailability(facts, helper),
];

/** auto: bpftrace first (readable scripts), the helper as fallback; an explicit choice still falls back. */
export const backendOrder = (choice: BackendChoice, availability: readonly BackendAvailability[]): BackendAvailability[] => {
  const preferred: Backend = choice === 'helper' ? 'helper' : 'bpftrace';
  return [...availability]
    .sort((a, b) => Number(b.backend === preferred) - Number(a.backend === preferred))
    .filter((entry) => entry.available);
};
