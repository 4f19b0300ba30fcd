// SPDX-License-Identifier: GPL-3.0-or-later
// The seed's "Linux configuration" as checks: each says ok, warn (something works less well) or missing,
// and the exact fix.
import { describeDialect, dialectFor } from '../backend/bpftrace/dialect.js';
import { missingKernelBtf } from '../backend/bpftrace/kernel-btf-seen.js';
import { kernelAtLeast, type KernelFacts } from '../kernel/facts.js';
import { loadAppsGroups } from '../apps/load-groups.js';
import { readCgroupMounts, cgroupSetup } from '../cgroups/cgroup-discovery.js';
import type { Config } from '../config/defaults.js';

export type Status = 'ok' | 'warn' | 'missing';

export interface Requirement {
  readonly name: string;
  readonly status: Status;
  readonly detail: string;
  readonly fix?: string;
}

const item = (name: string, status: Status, detail: string, fix?: string): Requirement => ({
  name,
  status,
  detail,
  ...(fix ? { fix } : {}),
});

/** A kernel feature that is there (ok) or not (`lacking`: its status, what then goes wrong, and the fix). */
const feature = (name: string, present: boolean, ok: string, lacking: readonly [Status, string, string?]): Requirement =>
  present ? item(name, 'ok', ok) : item(name, ...lacking);

/** Kernel features the plugin works without, less well: what then goes wrong, and the fix. */
const lessWellWithout = {
  debugfs: ['not mounted: older bpftrace looks for kprobe_events there', 'mount -t debugfs nodev /sys/kernel/debug'],
  kprobes: [
    'the kernel has no kprobes: tracepoints are used instead',
    'a kernel built with CONFIG_KPROBES=y (zgrep CONFIG_KPROBES= /proc/config.gz)',
  ],
  btf: ['no kernel BTF: fentry/fexit and the CO-RE helper cannot be used', 'a kernel built with CONFIG_DEBUG_INFO_BTF=y'],
  filterFunctions: ['available_filter_functions is not readable: bpftrace will not use fentry (lockdown, or no CONFIG_FUNCTION_TRACER)'],
} as const satisfies Record<string, readonly [string, string?]>;

/** What the live host adds to its facts: what is wrong with a configured `bpftrace path`, and the bpftrace an
 *  unset one would mean ('' for none). */
export interface HostContext {
  readonly bpftraceProblem?: string | undefined;
  readonly bpftraceOnPath?: string;
}

const bpftraceItem = (facts: KernelFacts, { bpftraceProblem, bpftraceOnPath }: HostContext): Requirement => {
  if (bpftraceProblem) {
    const unset = bpftraceOnPath
      ? `${bpftraceOnPath} (the first on PATH)`
      : 'the first bpftrace on PATH (there is none: apt-get install bpftrace)';
    return item('bpftrace', 'warn', bpftraceProblem, `correct \`bpftrace path\`, or remove it to use ${unset}`);
  }
  if (!facts.bpftrace) return item('bpftrace', 'warn', 'not found: the helper backend is the only one left', 'apt-get install bpftrace');
  const dialect = dialectFor(facts.bpftrace.version);
  const found = `${facts.bpftrace.version} at ${facts.bpftrace.path}; ${describeDialect(dialect)}`;
  const missing = missingKernelBtf(facts, dialect);
  return missing ? item('bpftrace', 'warn', `${found}; ${missing.why}: the helper is used`, missing.fix) : item('bpftrace', 'ok', found);
};

// As the netdata user the process itself cannot load BPF; the installed helper does, with file capabilities.
const privilegesItem = (facts: KernelFacts): Requirement => {
  const { uid, canLoadBpf, helper } = facts.privileges;
  if (canLoadBpf) return item('privileges', 'ok', `uid ${uid} may load BPF programs`);
  if (helper?.canLoadBpf) {
    return item(
      'privileges',
      'ok',
      `node process: not privileged (uid ${uid}); helper at ${helper.path}: can ` +
        `load BPF (${helper.uid === 0 ? 'runs as root' : 'file capabilities'})`,
    );
  }
  return item(
    'privileges',
    'missing',
    `node process: uid ${uid} lacks CAP_BPF+CAP_PERFMON; ` +
      `${helper ? `helper at ${helper.path}: cannot load BPF either` : 'no helper could be asked'}`,
    'run as root, or `sudo ebpf-process install` to give the helper capabilities',
  );
};

// Only the helper's probe knows; without it the planner tries fentry and learns at attach time.
const trampolineItem = (facts: KernelFacts): Requirement[] => {
  const note = facts.notes?.['trampoline'] ?? '';
  if (facts.trampoline === 'usable') return [item('fentry (kernel)', 'ok', note)];
  if (facts.trampoline === 'refused') return [item('fentry (kernel)', 'warn', `${note}: kprobes or tracepoints are used instead`)];
  return [];
};

export const checkRequirements = (facts: KernelFacts, context: HostContext = {}): Requirement[] => [
  kernelAtLeast(facts, '4.11')
    ? item('kernel', 'ok', `${facts.release} (${facts.arch})`)
    : item('kernel', 'missing', `${facts.release} is older than 4.11`, 'upgrade to a kernel of 4.11 or later'),
  privilegesItem(facts),
  feature(
    'tracefs',
    facts.tracefs !== null,
    `mounted at ${facts.tracefs}${facts.notes?.['tracepoints'] ? ' (seen by the helper: this process cannot read it)' : ''}`,
    facts.notes?.['tracefs']
      ? [
          'missing',
          facts.notes['tracefs'],
          'run as root, or `sudo ebpf-process install` (its helper reads tracefs with CAP_DAC_READ_SEARCH)',
        ]
      : ['missing', 'not mounted: tracepoints cannot be found', 'mount -t tracefs nodev /sys/kernel/tracing'],
  ),
  feature('debugfs', facts.debugfs, 'mounted', ['warn', ...lessWellWithout.debugfs]),
  feature('kprobes', facts.kprobes, 'CONFIG_KPROBES is on', ['warn', ...lessWellWithout.kprobes]),
  feature('btf', facts.btf, '/sys/kernel/btf/vmlinux present', ['warn', ...lessWellWithout.btf]),
  feature('fentry (bpftrace)', facts.filterFunctionsReadable, 'available_filter_functions is readable', [
    'warn',
    ...lessWellWithout.filterFunctions,
  ]),
  ...trampolineItem(facts),
  facts.lockdown === 'confidentiality'
    ? item('lockdown', 'missing', 'confidentiality mode forbids reading kernel memory from BPF', 'boot with lockdown=integrity or none')
    : facts.lockdown === 'unknown'
      ? item('lockdown', 'warn', 'cannot be read', 'mount -t securityfs securityfs /sys/kernel/security')
      : item('lockdown', 'ok', facts.lockdown),
  bpftraceItem(facts, context),
];

// `check`'s lines for counting per cgroup and per application: whether this host can, and what to fix.
const cgroupRequirement = async (config: Config): Promise<Requirement> => {
  if (config.cgroups !== 'yes') return { name: 'per cgroup', status: 'ok', detail: 'off (cgroups = no)' };
  const setup = cgroupSetup(await readCgroupMounts());
  if (setup.kind !== 'v2') {
    const [detail, fix] = setup.problem.split(' Fix: ');
    return { name: 'per cgroup', status: 'warn', detail: detail!, ...(fix ? { fix } : {}) };
  }
  return {
    name: 'per cgroup',
    status: 'ok',
    detail: `cgroup v2 at ${setup.root}; a table of ${config.cgroupTableSize} cgroups in the kernel`,
  };
};

const appsRequirement = async (config: Config): Promise<Requirement> => {
  if (config.apps !== 'yes') return { name: 'per application', status: 'ok', detail: 'off (apps = no)' };
  const groups = await loadAppsGroups();
  if (!groups.file) return { name: 'per application', status: 'warn', detail: groups.warnings.join('; ') };
  const notes = groups.warnings.length ? ` (${groups.warnings.length} notes on its patterns: the plugin prints them at start)` : '';
  return {
    name: 'per application',
    status: 'ok',
    detail: `${groups.groups.length} groups from ${groups.file}; a table of ${config.appsTableSize} command names in the kernel${notes}`,
  };
};

export const whoRequirements = async (config: Config): Promise<Requirement[]> => [
  await cgroupRequirement(config),
  await appsRequirement(config),
];
