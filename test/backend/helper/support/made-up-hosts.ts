// SPDX-License-Identifier: GPL-3.0-or-later
// Made-up hosts the helper's tests plan for: one offering every family and every catalogue symbol, and one like
// this machine (6.18, tracepoints only, BTF) with its return-mode tracepoint plan, which the helper's command-line
// and minimal-BTF tests turn into argv.
import type { KernelFacts } from '../../../../src/kernel/facts.js';
import { catalogueSymbols, catalogueTracepoints } from '../../../../src/plan/catalogue.js';
import { planProbes } from '../../../../src/plan/plan-probes.js';

/** Every family and every catalogue symbol: 6.1 picks close_fd, 6.18 file_close_fd. */
export const fullHost = (release: string, trampoline: KernelFacts['trampoline'] = 'unknown'): KernelFacts => ({
  release,
  arch: 'x86_64',
  source: 'test: every family',
  kprobes: true,
  btf: true,
  filterFunctionsReadable: true,
  lockdown: 'none',
  tracefs: '/sys/kernel/tracing',
  debugfs: true,
  symbols: catalogueSymbols(),
  tracepoints: catalogueTracepoints(),
  bpftrace: null,
  trampoline,
  privileges: { uid: 0, canLoadBpf: true },
});

export const tracepointHost: KernelFacts = {
  ...fullHost('6.18.0'),
  source: 'test: tracepoints only',
  kprobes: false,
  filterFunctionsReadable: false,
  lockdown: 'integrity',
};
export const tracepointPlan = planProbes(tracepointHost, { mode: 'return', tracing: 'tracepoint', backend: 'helper' });
