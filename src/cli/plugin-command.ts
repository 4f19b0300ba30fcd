// SPDX-License-Identifier: GPL-3.0-or-later
// Plugin mode: what Netdata runs as `ebpf_process.plugin <update_every>`.
import { readFileSync } from 'node:fs';
import { selfMonitoringOn } from '../config/defaults.js';
import { updateEverySeconds } from '../limits.js';
import { valueOf } from '../outcome.js';
import { Collector } from '../plugin/collector.js';
import { disablePlugin } from '../protocol/disable.js';
import { watchParent } from '../plugin/parent-watch.js';
import { ProtocolOutput } from '../protocol/output-stream.js';
import { backendFactories } from '../backend/backend-factories.js';
import { CliError } from './cli-error.js';
import { resolveHost } from './resolve-host.js';
import { secondsFromText, type CommonFlags } from './settings.js';
import { whoOptions } from './who-options.js';

const log = (message: string): void => {
  process.stderr.write(`ebpf_process.plugin: ${message}\n`);
};

// Netdata passes update_every as argv[1]; the larger of it and the config wins.
const updateEveryFrom = (argument: string | undefined, configured: number): number => {
  if (argument === undefined) return configured;
  const seconds = secondsFromText(argument);
  if (seconds === undefined) {
    log(
      `update every argument ${JSON.stringify(argument)} is not ` +
        `${updateEverySeconds.min}-${updateEverySeconds.max} seconds; using ${configured}`,
    );
    return configured;
  }
  return Math.max(seconds, configured);
};

/** --pid follows a process and its descendants: a thread id other than its process's would be read as the
 *  process by the helper and match nothing in bpftrace, so it is refused, as is a process that is not there. */
const checkFilteredProcess = (pid: number): void => {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    throw new CliError(`--pid ${pid}: no such process. Fix: give the id of a running process`, 'ebpf.flag.invalid');
  }
  const tgid = Number(/^Tgid:\s+(\d+)$/m.exec(status)?.[1]);
  if (tgid !== pid) {
    throw new CliError(
      `--pid ${pid} is a thread of process ${tgid}, and the filter follows processes. Fix: --pid ${tgid}`,
      'ebpf.flag.invalid',
    );
  }
};

export const runPlugin = async (updateEveryArgument: string | undefined, flags: CommonFlags): Promise<number> => {
  if (flags.pid !== undefined) checkFilteredProcess(flags.pid);
  let collector: Collector | undefined;
  // Whatever ends the plugin first (Netdata gone, a signal) ends it once; before the collector exists, it never starts.
  let stopping = false;
  const stopWith = (message: string): void => {
    if (stopping) return; // a terminal's Ctrl-C may reach us twice (directly and through the process group)
    stopping = true;
    log(message);
    void collector?.stop();
  };
  const output = new ProtocolOutput(process.stdout, () => stopWith('Netdata closed our stdout; stopping'));
  watchParent((parent) => stopWith(`our parent (pid ${parent}, Netdata) is gone; stopping`));
  // bpftrace --version only where bpftrace may run: with the helper alone it would only delay the start.
  const host = await resolveHost(flags, { bpftraceOnlyWhenChosen: true });
  const { settings, facts, helper } = host;
  const { config } = settings;
  settings.warnings.forEach(log);
  const updateEvery = updateEveryFrom(updateEveryArgument, config.updateEvery);
  if (host.bpftraceProblem) log(host.bpftraceProblem);
  if (!helper.ok) log(`helper backend unavailable: ${helper.reason}`);
  if (facts.notes?.['helperProbe']) log(facts.notes['helperProbe']);
  if (!facts.privileges.canLoadBpf) {
    // Run as the netdata user: only a helper with file capabilities can load BPF.
    const viaHelper = host.availability.find((entry) => entry.backend === 'helper');
    if (!viaHelper?.available) {
      return disablePlugin(
        output,
        log,
        `cannot load BPF programs: uid ${facts.privileges.uid} lacks ` +
          `CAP_BPF+CAP_PERFMON, and ${viaHelper?.detail ?? 'there is no helper'}. ` +
          "Fix: `sudo ebpf-process install` (a capable helper, named by `helper path`), or run Netdata's plugins as root. Disabling.",
      );
    }
    log(`uid ${facts.privileges.uid} cannot load BPF itself: using the ${viaHelper.detail}`);
  }
  const selfStats = selfMonitoringOn(config);
  const factories = backendFactories({
    facts,
    bpftraceProblem: host.bpftraceProblem,
    helperPath: config.helperPath,
    updateEvery,
    selfStats,
  });
  const backends = host.usable.map(({ backend }) => ({ backend, command: factories[backend] }));
  const selfMonitoring = selfStats
    ? {
        ...(config.maxKernelCpu === undefined
          ? {}
          : { budget: { maxPercent: config.maxKernelCpu, windowUpdates: Math.ceil(config.budgetWindow / updateEvery) } }),
      }
    : undefined;
  if (!helper.ok && backends.some(({ backend }) => backend === 'bpftrace')) {
    log(
      `bpftrace's programs are not read without the helper: their skipped runs${selfMonitoring ? ' and their cost are' : ' are'} ` +
        `not counted (${helper.reason})`,
    );
  }
  const who = await whoOptions(config, log);
  collector = new Collector({
    facts,
    mode: config.mode,
    tracing: config.tracing,
    updateEvery,
    filter: settings.filter,
    backends,
    output,
    log,
    selfMonitoring,
    statsHelper: valueOf(helper),
    ...(who ? { who } : {}),
  });
  // Node's default for these signals is to die at once, before the backend has detached.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
    process.on(signal, () => stopWith(`${signal} received; stopping the backend`));
  return stopping ? 0 : collector.run();
};
