// SPDX-License-Identifier: GPL-3.0-or-later
// The command each backend runs for a plan, shared by the plugin and selftest. Every backend binary is
// checked right before it runs; a factory that throws only rules its backend out.
import { bpftraceCommand } from '../backend/bpftrace/bpftrace-command.js';
import { untrustedReason } from '../backend/supervise/trusted-binary.js';
import type { KernelFacts } from '../kernel/facts.js';
import type { Backend } from '../plan/plan-types.js';
import type { CommandFactory } from '../plugin/collector.js';
import { helperFactory } from './helper-backend.js';

const trusted = (factory: CommandFactory): CommandFactory => async (plan) => {
  try {
    const built = await factory(plan);
    return typeof built === 'string' ? built : (await untrustedReason(built.file)) ?? built;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

export interface FactoryOptions {
  /** Why a configured bpftrace was not even asked its version. */
  readonly bpftraceRefused?: string | undefined;
  /** The config's `helper path`. */
  readonly helperPath?: string | undefined;
  /** Self monitoring: the helper reports its programs' run-time statistics. */
  readonly selfStats?: boolean;
}

export const backendFactories = (facts: KernelFacts, updateEvery: number, options: FactoryOptions = {}): Record<Backend, CommandFactory> => ({
  bpftrace: trusted(async (plan) => (facts.bpftrace ? bpftraceCommand(plan, facts.bpftrace, updateEvery)
    : options.bpftraceRefused ?? 'bpftrace is not installed')),
  helper: trusted(helperFactory(updateEvery, options.helperPath, options.selfStats)),
});
