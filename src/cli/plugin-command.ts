// SPDX-License-Identifier: GPL-3.0-or-later
// Plugin mode: what Netdata runs as `ebpf_process.plugin <update_every>`.
import { untrustedReason } from '../backend/supervise/trusted-binary.js';
import { selfMonitoringOn } from '../config/defaults.js';
import { gatherFacts } from '../kernel/gather.js';
import { Collector } from '../plugin/collector.js';
import { ProtocolOutput } from '../protocol/output-stream.js';
import { backendAvailability, backendOrder } from './backend-order.js';
import { backendFactories } from './backend-factories.js';
import { findHelper } from './helper-backend.js';
import { updateEverySeconds } from '../limits.js';
import { resolveSettings, secondsFromText, type CommonFlags } from './settings.js';

const log = (message: string): void => {
  process.stderr.write(`ebpf_process.plugin: ${message}\n`);
};

// Netdata passes update_every as argv[1]; the larger of it and the config wins.
const updateEveryFrom = (argument: string | undefined, configured: number): number => {
  if (argument === undefined) return configured;
  const seconds = secondsFromText(argument);
  if (seconds === undefined) {
    log(`update every argument ${JSON.stringify(argument)} is not ${updateEverySeconds.min}-${updateEverySeconds.max} seconds; using ${configured}`);
    return configured;
  }
  return Math.max(seconds, configured);
};

export const runPlugin = async (updateEveryArgument: string | undefined, flags: CommonFlags): Promise<number> => {
  const settings = await resolveSettings(flags);
  settings.warnings.forEach(log);
  const { config } = settings;
  const updateEvery = updateEveryFrom(updateEveryArgument, config.updateEvery);
  // `bpftrace --version` already runs it: a configured path is checked before that.
  const refused = config.bpftracePath === undefined ? undefined : await untrustedReason(config.bpftracePath);
  if (refused) log(`bpftrace path: ${refused}`);
  const helper = await findHelper(config.helperPath);
  if (helper.file === null) log(`helper backend unavailable: ${helper.reason}`);
  // bpftrace --version only where bpftrace may run: with the helper alone it would only delay the start.
  const facts = await gatherFacts({ bpftracePath: config.bpftracePath, askBpftrace: !refused && config.backend !== 'helper', helperPath: helper.file });
  if (facts.notes?.['helperProbe']) log(facts.notes['helperProbe']);
  const availability = backendAvailability(facts, helper);
  if (!facts.privileges.canLoadBpf) {
    // Run as the netdata user: only a helper with file capabilities can load BPF.
    const viaHelper = availability.find((entry) => entry.backend === 'helper');
    if (!viaHelper?.available) {
      log(`cannot load BPF programs: uid ${facts.privileges.uid} lacks CAP_BPF+CAP_PERFMON, and ${viaHelper?.detail ?? 'there is no helper'}. `
        + 'Fix: `sudo ebpf-process install` (a capable helper, named by `helper path`), or run Netdata\'s plugins as root. Disabling.');
      process.stdout.write('DISABLE\n');
      return 1;
    }
    log(`uid ${facts.privileges.uid} cannot load BPF itself: using the ${viaHelper.detail}`);
  }
  const selfStats = selfMonitoringOn(config);
  const factories = backendFactories(facts, updateEvery, { bpftraceRefused: refused, helperPath: config.helperPath, selfStats });
  const backends = backendOrder(config.backend, availability).map(({ backend }) => ({ backend, command: factories[backend] }));

  let collector: Collector | undefined;
  const output = new ProtocolOutput(process.stdout, () => {
    log('Netdata closed our stdout; stopping');
    void collector?.stop();
  });
  const selfMonitoring = selfStats ? {
    statsHelper: helper.file ?? undefined,
    ...(config.maxKernelCpu === undefined ? {} : { budget: { maxPercent: config.maxKernelCpu, windowUpdates: Math.ceil(config.budgetWindow / updateEvery) } }),
  } : undefined;
  if (selfMonitoring && helper.file === null && backends.some(({ backend }) => backend === 'bpftrace')) {
    log(`self monitoring: bpftrace's programs are not measured without the helper (${helper.reason})`);
  }
  collector = new Collector({ facts, mode: config.mode, tracing: config.tracing, updateEvery, filter: settings.filter, backends, output, log, selfMonitoring });
  let signalled = false;
  const stop = (signal: string) => {
    if (signalled) return; // a terminal's Ctrl-C may reach us twice (directly and through the process group)
    signalled = true;
    log(`${signal} received; stopping the backend`);
    void collector?.stop();
  };
  // Node's default for these signals is to die at once, before the backend has detached.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  return collector.run();
};
