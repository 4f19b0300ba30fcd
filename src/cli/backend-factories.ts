// SPDX-License-Identifier: GPL-3.0-or-later
// The command each backend runs for a plan, shared by the plugin and selftest. Every backend binary is
// checked right before it runs; a factory that throws only rules its backend out.
import { bpftraceCommand } from '../backend/bpftrace/bpftrace-command.js';
import { untrustedReason } from '../backend/supervise/trusted-binary.js';
import { failure, success } from '../outcome.js';
import type { Backend } from '../plan/plan-types.js';
import type { CommandFactory } from '../plugin/collector.js';
import { helperFactory } from './helper-backend.js';
import type { Host } from './resolve-host.js';

const trusted = (factory: CommandFactory): CommandFactory => async (plan) => {
  try {
    const built = await factory(plan);
    const refused = built.ok ? await untrustedReason(built.value.file) : undefined;
    return refused ? failure(refused) : built;
  } catch (error) {
    return failure(error instanceof Error ? error.message : String(error));
  }
};

/** `selfStats`: self monitoring, the helper reports its programs' run-time statistics. */
export const backendFactories = (host: Host, updateEvery: number, selfStats = false): Record<Backend, CommandFactory> => ({
  bpftrace: trusted(async (plan) => (host.facts.bpftrace ? success(bpftraceCommand(plan, host.facts.bpftrace, updateEvery, host.facts.btf))
    : failure(host.bpftraceRefused ?? 'bpftrace is not installed'))),
  helper: trusted(helperFactory(updateEvery, host.settings.config.helperPath, selfStats)),
});
