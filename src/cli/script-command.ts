// SPDX-License-Identifier: GPL-3.0-or-later
// `script`: the bpftrace script for this host (or a host described by --facts), for people to read and run.
import { dialectFor } from '../backend/bpftrace/dialect.js';
import { generateScript } from '../backend/bpftrace/generate-script.js';
import { planProbes, planRequest } from '../plan/plan-probes.js';
import { updateEverySeconds } from '../limits.js';
import { generatorName } from '../version.js';
import { CliError } from './cli-error.js';
import { resolveHost } from './resolve-host.js';
import { secondsFromText, type CommonFlags } from './settings.js';
import { configuredKeys } from './who-options.js';

export interface ScriptFlags extends CommonFlags {
  readonly facts?: string;
  readonly jsonOutput?: boolean;
  readonly interval: string;
}

export const runScript = async (flags: ScriptFlags): Promise<void> => {
  const host = await resolveHost(flags, { factsFile: flags.facts });
  const { settings, facts } = host;
  settings.warnings.forEach((warning) => process.stderr.write(`ebpf-process: ${warning}\n`));
  const interval = secondsFromText(flags.interval);
  if (interval === undefined) {
    throw new CliError(
      `--interval ${JSON.stringify(flags.interval)}: expected ${updateEverySeconds.min}-${updateEverySeconds.max} seconds`,
      'ebpf.flag.invalid',
    );
  }
  // Without bpftrace on the host, write the oldest dialect we know (0.17, Debian 12's): the script is for another
  // machine, and its header names the releases that run it.
  const version = facts.bpftrace?.version ?? '0.17.0';
  const plan = planProbes(facts, planRequest(settings, 'bpftrace', configuredKeys(settings.config)));
  const script = generateScript(plan, {
    dialect: dialectFor(version),
    output: flags.jsonOutput ? 'json' : 'table',
    intervalSeconds: interval,
    generator: generatorName,
    kernelBtf: facts.btf,
    filterFunctionsReadable: facts.filterFunctionsReadable,
  });
  const env = Object.entries(script.env)
    .map(([key, value]) => `${key}=${value} `)
    .join('');
  const traceable = script.traceableFunctions ? `--traceable-functions FILE ` : '';
  if (env || traceable) process.stderr.write(`ebpf-process: run it as: ${env}bpftrace ${traceable}script.bt\n`);
  if (traceable) process.stderr.write(`ebpf-process: FILE lists ${script.traceableFunctions!.join(' ')}, one a line\n`);
  process.stdout.write(script.text);
};
