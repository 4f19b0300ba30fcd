// SPDX-License-Identifier: GPL-3.0-or-later
// `selftest`: its flags checked, the run (src/selftest/run-selftest.ts) made for this host's first usable backend,
// and its result printed. Exit 1 on any mismatch.
import { runSelftest as run } from '../selftest/run-selftest.js';
import { selftestBackend } from '../selftest/selftest-backend.js';
import { CliError } from './cli-error.js';
import { resolveHost, type Host } from './resolve-host.js';
import { selftestText } from './selftest-text.js';
import { configuredKeys } from './who-options.js';
import type { CommonFlags } from './settings.js';

export interface SelftestFlags extends CommonFlags {
  readonly rounds: string;
  readonly systemWide?: boolean;
}

const whoRequest = (flags: SelftestFlags, host: Host) => {
  if (!flags.cgroups && !flags.apps) return undefined;
  if (flags.systemWide) {
    throw new CliError(
      "--cgroups and --apps compare the workload's own counts exactly, which needs the process filter: run them without --system-wide",
      'ebpf.flag.invalid',
    );
  }
  return configuredKeys(host.settings.config, { cgroups: flags.cgroups === true, apps: flags.apps === true });
};

export const runSelftest = async (flags: SelftestFlags): Promise<void> => {
  const host = await resolveHost(flags);
  const { config } = host.settings;
  const rounds = /^\d{1,5}$/.test(flags.rounds) ? Number(flags.rounds) : NaN;
  if (!(rounds >= 1 && rounds <= 10_000))
    throw new CliError(`--rounds ${JSON.stringify(flags.rounds)}: expected 1-10000`, 'ebpf.flag.invalid');
  const backend = selftestBackend(config.backend, host.availability, host.usable);
  if (!backend.ok) throw new CliError(backend.reason, 'ebpf.selftest.no-backend', 1);
  const chosen = backend.value;
  const result = await run({
    host: { facts: host.facts, bpftraceProblem: host.bpftraceProblem, helperPath: config.helperPath },
    config,
    backend: chosen,
    rounds,
    systemWide: flags.systemWide === true,
    who: whoRequest(flags, host),
  });
  console.log(selftestText(result));
  if (result.verdict === 'failed') process.exitCode = 1;
};
