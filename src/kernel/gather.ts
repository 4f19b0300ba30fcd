// SPDX-License-Identifier: GPL-3.0-or-later
// Read the kernel facts from the live host. This process only reads files; what needs privileges it may lack
// (tracefs, loading BPF, fentry) the helper's `--probe` answers, when there is a helper.
import { access, open, readFile } from 'node:fs/promises';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import os from 'node:os';
import { findBpftrace } from './bpftrace-version.js';
import type { Outcome } from '../outcome.js';
import { runHelperProbe, type ProbeResult } from './helper-probe.js';
import { mergeProbe } from './merge-probe.js';
import { readPrivileges } from './privileges.js';
import type { KernelFacts } from './facts.js';

const exists = async (path: string): Promise<boolean> =>
  access(path, constants.F_OK).then(
    () => true,
    () => false,
  );

// access() says yes to root where lockdown then refuses the open (EPERM, as here): only reading proves it.
// One byte is enough; the file runs to megabytes where it is readable.
const canReadOneByte = async (path: string): Promise<boolean> => {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    await handle.read(Buffer.alloc(1), 0, 1, 0);
    return true;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
};

const readText = async (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);

// Lockdown prints "none [integrity] confidentiality"; without securityfs mounted it cannot be read.
const readLockdown = async (mounts: Map<string, string>): Promise<KernelFacts['lockdown']> => {
  const text = await readText('/sys/kernel/security/lockdown');
  const mode = text && /\[(\w+)\]/.exec(text)?.[1];
  if (mode === 'none' || mode === 'integrity' || mode === 'confidentiality') return mode;
  // securityfs mounted but no lockdown file: the kernel has no lockdown LSM.
  return text === undefined && mounts.has('securityfs') ? 'none' : 'unknown';
};

const mountedFilesystems = async (): Promise<Map<string, string>> => {
  const mounts = (await readText('/proc/mounts')) ?? '';
  const byType = new Map<string, string>();
  for (const line of mounts.split('\n')) {
    const [, mountPoint, type] = line.split(' ');
    if (type && mountPoint && !byType.has(type)) byType.set(type, mountPoint);
  }
  return byType;
};

const findTracefs = async (mounts: Map<string, string>): Promise<string | null> => {
  const candidates = [mounts.get('tracefs'), '/sys/kernel/tracing', '/sys/kernel/debug/tracing'];
  for (const candidate of candidates) {
    if (candidate && (await exists(`${candidate}/events`))) return candidate;
  }
  return null;
};

// Only the wanted symbols are kept: the facts stay small enough to attach to a bug report.
// kallsyms is several MB handed out one page per read() (1,330 reads here): read synchronously in chunks
// (~40 ms; a stream's thread-pool round trip per read took ~200 ms), never held whole (node's peak RSS),
// yielding now and then so that the output of bpftrace --version and of the helper's probe is read meanwhile.
const readSymbols = async (names: readonly string[]): Promise<string[]> => {
  const wanted = new Set(names);
  const found = new Set<string>();
  const keep = (line: string): void => {
    const name = line.split(' ', 3)[2];
    if (name && wanted.has(name)) found.add(name);
  };
  let fd: number;
  try {
    fd = openSync('/proc/kallsyms', 'r');
  } catch {
    return [];
  }
  const buffer = Buffer.alloc(1 << 16);
  let partial = '';
  try {
    for (let reads = 1, read = readSync(fd, buffer); read > 0; reads += 1, read = readSync(fd, buffer)) {
      const lines = (partial + buffer.toString('latin1', 0, read)).split('\n');
      partial = lines.pop()!;
      lines.forEach(keep);
      if (reads % 64 === 0) await yieldToOthers();
    }
    keep(partial);
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
  return [...found].sort();
};

const readTracepoints = async (tracefs: string | null, names: readonly string[]): Promise<string[]> => {
  if (!tracefs) return [];
  const present = await Promise.all(
    names.map(async (tracepoint) => {
      const [subsystem, event] = tracepoint.split(':');
      return (await exists(`${tracefs}/events/${subsystem}/${event}`)) ? tracepoint : undefined;
    }),
  );
  return present.filter((tracepoint): tracepoint is string => tracepoint !== undefined).sort();
};

/** The kernel functions and tracepoints a plan may attach to (the catalogue's, `catalogueNames()`): only these are
 *  looked for. A parameter, so that the kernel stage does not import the plan that reads its facts. */
export interface WantedNames {
  readonly symbols: readonly string[];
  readonly tracepoints: readonly string[];
}

export interface GatherOptions {
  /** bpftrace binary chosen by config; default: the first on PATH. */
  readonly bpftracePath?: string | undefined;
  /** Whether to ask bpftrace its version; false when only the helper will run (bpftrace is then null). */
  readonly askBpftrace?: boolean;
  /** The helper the backends will run (already checked by findHelper); asked `--probe` when given. */
  readonly helperPath?: string | null | undefined;
}

const kprobePmu = '/sys/bus/event_source/devices/kprobe';

// Symbols only serve kprobes and fentry: without kprobes, and with fentry refused by the helper's probe, no
// plan attaches to a kernel function, and the ~40 ms kallsyms scan would only delay the start.
const symbolsNeeded = async (kprobes: boolean, probe: Promise<Outcome<ProbeResult> | undefined>): Promise<boolean> => {
  if (kprobes) return true;
  const result = await probe;
  return !result?.ok || result.value.trampoline !== 'refused';
};

export const gatherFacts = async (wanted: WantedNames, options: GatherOptions = {}): Promise<KernelFacts> => {
  // The two child processes first: they run while this process reads files. Both start in this tick.
  const bpftrace = options.askBpftrace === false ? Promise.resolve(null) : findBpftrace(options.bpftracePath);
  const probe = options.helperPath ? runHelperProbe(options.helperPath, wanted.tracepoints) : Promise.resolve(undefined);
  const kprobes = await exists(kprobePmu);
  const mounts = await mountedFilesystems();
  const tracefs = await findTracefs(mounts);
  const readKallsyms = await symbolsNeeded(kprobes, probe);
  const [symbols, tracepoints, privileges, lockdown] = await Promise.all([
    readKallsyms ? readSymbols(wanted.symbols) : [],
    readTracepoints(tracefs, wanted.tracepoints),
    readPrivileges(),
    readLockdown(mounts),
  ]);
  // Mounted but unreadable (mode 0700, as the netdata user) needs another fix than not mounted: check tells them apart.
  const unreadableTracefs = tracefs === null ? mounts.get('tracefs') : undefined;
  const notes = [
    ...(readKallsyms ? [] : [['symbols', 'not read from /proc/kallsyms: no kprobes, and the kernel refuses fentry']]),
    ...(unreadableTracefs ? [['tracefs', `mounted at ${unreadableTracefs}, but uid ${privileges.uid} cannot read it`]] : []),
  ] as const;
  const own: KernelFacts = {
    release: os.release(),
    arch: os.machine(),
    source: `live host ${os.hostname()}`,
    kprobes,
    btf: await exists('/sys/kernel/btf/vmlinux'),
    filterFunctionsReadable: tracefs !== null && (await canReadOneByte(`${tracefs}/available_filter_functions`)),
    lockdown,
    tracefs,
    debugfs: mounts.has('debugfs'),
    symbols,
    tracepoints,
    bpftrace: await bpftrace,
    trampoline: 'unknown',
    privileges,
    ...(notes.length ? { notes: Object.fromEntries(notes) } : {}),
  };
  const probed = await probe;
  return options.helperPath && probed !== undefined ? mergeProbe(own, options.helperPath, probed) : own;
};
