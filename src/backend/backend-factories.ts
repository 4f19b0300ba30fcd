// SPDX-License-Identifier: GPL-3.0-or-later
// The command each backend runs for a plan, shared by the plugin and selftest. Every backend binary is
// checked right before it runs. A factory fails with the reason its backend cannot run; a throw is a bug.
import type { KernelFacts } from '../kernel/facts.js';
import { failure, success } from '../outcome.js';
import type { Backend } from '../plan/plan-types.js';
import type { CommandFactory } from './backend-command.js';
import { bpftraceCommand } from './bpftrace/bpftrace-command.js';
import { helperFactory } from './helper/helper-backend.js';
import { untrustedReason } from './trusted-binary.js';

export interface FactoryOptions {
  readonly facts: KernelFacts;
  /** Why the configured `bpftrace path` is not run at all. */
  readonly bpftraceProblem: string | undefined;
  /** The config's `helper path`; undefined: the package's helper. */
  readonly helperPath: string | undefined;
  readonly updateEvery: number;
  /** Self monitoring: the helper reports its programs' run-time statistics. */
  readonly selfStats?: boolean;
}

const trusted =
  (factory: CommandFactory): CommandFactory =>
  async (plan) => {
    const built = await factory(plan);
    const refused = built.ok ? await untrustedReason(built.value.file) : undefined;
    return refused ? failure(refused) : built;
  };

export const backendFactories = (options: FactoryOptions): Record<Backend, CommandFactory> => {
  const { facts, bpftraceProblem, helperPath, updateEvery, selfStats = false } = options;
  return {
    bpftrace: trusted(async (plan) =>
      facts.bpftrace
        ? success(
            bpftraceCommand(plan, facts.bpftrace, updateEvery, {
              kernelBtf: facts.btf,
              filterFunctionsReadable: facts.filterFunctionsReadable,
            }),
          )
        : failure(bpftraceProblem ?? 'bpftrace is not installed'),
    ),
    helper: trusted(helperFactory(updateEvery, helperPath, selfStats)),
  };
};
