// SPDX-License-Identifier: GPL-3.0-or-later
// What every command knows of the host it runs for, resolved one way: the settings, the helper binary, the
// kernel facts (live, or from a `check --json` file) and the backends that can run, in the order tried.
import { untrustedReason } from '../backend/trusted-binary.js';
import { type KernelFacts, kernelFactsSchema } from '../kernel/facts.js';
import { gatherFacts } from '../kernel/gather.js';
import { catalogueNames } from '../plan/catalogue.js';
import { failure, valueOf, type Outcome } from '../outcome.js';
import { backendAvailability, backendOrder, type AvailabilityOptions, type BackendAvailability } from '../backend/backend-order.js';
import { findHelper } from '../backend/helper/helper-backend.js';
import { resolveSettings, type CommonFlags, type Settings } from './settings.js';
import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';

export interface HostRequest {
  /** Plan for the host this `check --json` file describes: this host's bpftrace and helper are not looked at. */
  readonly factsFile?: string | undefined;
  /** Skip `bpftrace --version` when the config chose the helper: the plugin then starts sooner. */
  readonly bpftraceOnlyWhenChosen?: boolean;
}

/** The host a command runs for, and the backends that can run there. */
export interface Host {
  readonly settings: Settings;
  readonly facts: KernelFacts;
  /** The helper binary on this host, or why there is none (for a facts file: not looked for). */
  readonly helper: Outcome<string>;
  /** What is wrong with the configured `bpftrace path`, naming the config line: not run at all, or not bpftrace. */
  readonly bpftraceProblem: string | undefined;
  /** Every backend, whether it can run here and why; `usable`: those that can, in the order they are tried. */
  readonly availability: readonly BackendAvailability[];
  readonly usable: readonly BackendAvailability[];
}

const withBackends = (settings: Settings, facts: KernelFacts, helper: Outcome<string>, options: AvailabilityOptions): Host => {
  const availability = backendAvailability(facts, helper, options);
  return {
    settings,
    facts,
    helper,
    availability,
    bpftraceProblem: options.bpftraceProblem,
    usable: backendOrder(settings.config.backend, availability),
  };
};

export const resolveHost = async (flags: CommonFlags, request: HostRequest = {}): Promise<Host> => {
  const settings = await resolveSettings(flags);
  if (request.factsFile) {
    const helper = failure('the facts describe another host, whose helper this one cannot look at');
    return withBackends(settings, await loadFactsFile(request.factsFile), helper, { otherHost: true });
  }
  const { config } = settings;
  // `bpftrace --version` already runs it: a configured path is checked before that.
  const bpftraceRefused = config.bpftracePath === undefined ? undefined : await untrustedReason(config.bpftracePath);
  const helper = await findHelper(config.helperPath);
  const askBpftrace = !bpftraceRefused && !(request.bpftraceOnlyWhenChosen && config.backend === 'helper');
  // The helper's probe tells whether fentry works here, so no plan chooses what the kernel refuses.
  const facts = await gatherFacts(catalogueNames(), { bpftracePath: config.bpftracePath, askBpftrace, helperPath: valueOf(helper) });
  const path = config.bpftracePath;
  const problem = bpftraceRefused ?? (askBpftrace && !facts.bpftrace ? `${path} printed no bpftrace version` : undefined);
  const setIn = settings.setIn.bpftracePath;
  return withBackends(settings, facts, helper, {
    ...(path !== undefined && problem ? { bpftraceProblem: `\`bpftrace path = ${path}\`${setIn ? ` in ${setIn}` : ''}: ${problem}` } : {}),
  });
};

/** How a command names the backend it would use: "auto: bpftrace 0.17.0 at ...", the configured one and why it
 *  cannot run when another is used, or that none can run. */
export const describeChosen = (host: Host): string => {
  const [chosen] = host.usable;
  if (!chosen) return 'no backend can run on this host';
  const { backend } = host.settings.config;
  if (backend === 'auto') return `auto: ${chosen.detail}`;
  if (chosen.backend === backend) return chosen.detail;
  const configured = host.availability.find((entry) => entry.backend === backend);
  return `backend = ${backend} cannot run: ${configured?.detail ?? 'unknown backend'}; using the ${chosen.detail}`;
};

// Facts from a file (`check --json` output of another host), to plan for that host here.
export const loadFactsFile = async (factsFile: string): Promise<KernelFacts> => {
  const text = await readFile(factsFile, 'utf8').catch((error: Error) => {
    throw new CliError(`cannot read facts file ${factsFile}: ${error.message}`, 'ebpf.facts.unreadable');
  });
  const json: unknown = await Promise.resolve(text)
    .then(JSON.parse)
    .catch(() => {
      throw new CliError(
        `facts file ${factsFile} is not JSON; create one with \`ebpf-process check --json > facts.json\``,
        'ebpf.facts.invalid',
      );
    });
  const parsed = kernelFactsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`facts file ${factsFile}: ${issue?.path.join('.') || 'top level'}: ${issue?.message}`, 'ebpf.facts.invalid');
  }
  return parsed.data;
};
