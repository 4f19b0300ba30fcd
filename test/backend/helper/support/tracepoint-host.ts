// SPDX-License-Identifier: GPL-3.0-or-later
// A made-up host like this one (6.18, tracepoints only, BTF) and its return-mode tracepoint plan for the helper:
// the plan the helper's command-line and minimal-BTF tests turn into argv.
import type { KernelFacts } from '../../../../src/kernel/facts.js';
import { catalogueSymbols, catalogueTracepoints } from '../../../../src/plan/catalogue.js';
import { planProbes } from '../../../../src/plan/plan-probes.js';

export const tracepointHost: KernelFacts = {
  release: '6.18.0',
  arch: 'x86_64',
  source: 'test',
  kprobes: false,
  btf: true,
  filterFunctionsReadable: false,
  lockdown: 'integrity',
  tracefs: '/sys/kernel/tracing',
  debugfs: true,
  symbols: catalogueSymbols(),
  tracepoints: catalogueTracepoints(),
  bpftrace: null,
  trampoline: 'unknown',
  privileges: { uid: 0, canLoadBpf: true },
};
export const tracepointPlan = planProbes(tracepointHost, { mode: 'return', tracing: 'tracepoint', backend: 'helper' });
