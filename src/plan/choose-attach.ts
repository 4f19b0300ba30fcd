// SPDX-License-Identifier: GPL-3.0-or-later
// Decide, for one probe and one family, whether the host offers it, and resolve its concrete targets.
import type { FunctionAlternative, FunctionGroup, ProbeDefinition, Returns, TracepointGroup } from './catalogue-types.js';
import { defaultVars } from './catalogue.js';
import { backendLimit } from './backend-limits.js';
import { attachKind, type Family, type Side } from './families.js';
import type { Attachment, Backend, Refusal, ResolvedGroup } from './plan-types.js';
import { groupTracepoints } from './tracepoint-names.js';
import { failure, success, type Outcome } from '../outcome.js';
import type { KernelFacts } from '../kernel/facts.js';
import { compareVersions, parseVersion } from '../kernel/version-number.js';

export const attachPointName = (kind: string, target: string): string => `${kind}:${target}`;

const familyUnavailable = (family: Family, side: Side, facts: KernelFacts, backend: Backend): string | undefined => {
  if (family === 'probe' && !facts.kprobes) return 'the kernel has no kprobes (CONFIG_KPROBES is off)';
  if (family === 'tracepoint' && !facts.tracefs) return 'tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)';
  if (family === 'trampoline') {
    if (!facts.btf) return 'no kernel BTF (/sys/kernel/btf/vmlinux): fentry/fexit need it';
    // Both backends would only find this out by failing at attach time, on every start.
    if (facts.trampoline === 'refused') {
      return (
        `the kernel refuses fentry/fexit: ` +
        `${facts.notes?.['trampoline'] ?? "the helper's probe could not load and attach an fentry program"}`
      );
    }
  }
  return backendLimit(backend, attachKind(family, side), facts);
};

const inRange = (release: string, since?: string, before?: string): boolean => {
  const version = parseVersion(release);
  if (since && compareVersions(version, parseVersion(since)) < 0) return false;
  if (before && compareVersions(version, parseVersion(before)) >= 0) return false;
  return true;
};

// "since 5.3", "before 6.6", "6.6 to before 6.8": the kernels an alternative is meant for.
const rangeText = (alt: FunctionAlternative): string => {
  if (alt.since && alt.before) return `${alt.since} to before ${alt.before}`;
  return alt.since ? `since ${alt.since}` : `before ${alt.before}`;
};

/** How a group counts, whatever its targets: what the planner resolves and what the helper's BPF programs are
 *  generated from (src/backend/helper/c-sources/). */
export type GroupCounting = Omit<ResolvedGroup, 'targets' | 'stashTargets'>;

export const groupCounting = (group: FunctionGroup | TracepointGroup, returns: Returns): GroupCounting => ({
  program: group.program,
  returns,
  args: group.args ?? {},
  vars: { ...defaultVars(returns), ...group.vars },
  ...(group.stash ? { stash: group.stash } : {}),
});

/** What a function alternative returns, and so how its failures look. */
export const returnsOf = (probe: ProbeDefinition, alternative: FunctionAlternative): Returns =>
  alternative.returns ?? probe.returns ?? 'status';

// A syscall returns a long: negative errno on failure, else a count.
export const syscallReturns: Returns = 'count';

// An optional group the host lacks resolves to null: the probe goes on without it.
const resolveFunctionGroup = (probe: ProbeDefinition, group: FunctionGroup, facts: KernelFacts): Outcome<ResolvedGroup | null> => {
  const present = group.oneOf.filter((alt) => facts.symbols.includes(alt.name));
  const usable = present.find((alt) => inRange(facts.release, alt.since, alt.before));
  const names = group.oneOf.map((alt) => alt.name).join(', ');
  if (!usable) {
    if (group.optional) return success(null);
    if (present.length === 0) return failure(`none of ${names} is in /proc/kallsyms`);
    const ranges = present.map((alt) => `${alt.name} (${rangeText(alt)})`).join(', ');
    return failure(`${ranges} ${present.length === 1 ? 'is' : 'are'} in /proc/kallsyms but meant for other kernels than ${facts.release}`);
  }
  if (group.needsBtf && !facts.btf) return failure(`reading kernel structs in ${usable.name} needs BTF`);
  return success({ ...groupCounting(group, returnsOf(probe, usable)), targets: [usable.name], stashTargets: [] });
};

// remembersKeys: the backend reads a released task's keys from what its exit left (bpftrace); the helper hooks
// sched_process_free raw and reads them from the task itself.
const resolveTracepointGroup = (
  group: TracepointGroup,
  side: Side,
  facts: KernelFacts,
  remembersKeys: boolean,
): Outcome<ResolvedGroup | null> => {
  const needsStash = side === 'exit' && group.stash !== undefined;
  const onSide = groupTracepoints(group, side);
  const atEntry = groupTracepoints(group, 'entry');
  // A syscall is usable when every tracepoint it needs on this side is there.
  const usable = onSide.flatMap((tracepoint, index) =>
    facts.tracepoints.includes(tracepoint) && (!needsStash || facts.tracepoints.includes(atEntry[index]!)) ? [index] : [],
  );
  if (usable.length === 0) {
    return group.optional ? success(null) : failure(`none of ${onSide.join(', ')} is under tracefs`);
  }
  return success({
    ...groupCounting(group, syscallReturns),
    targets: usable.map((index) => onSide[index]!),
    stashTargets: needsStash ? usable.map((index) => atEntry[index]!) : [],
    ...(remembersKeys && group.keysFrom && facts.tracepoints.includes(group.keysFrom) ? { keysFrom: group.keysFrom } : {}),
  });
};

// kprobe-family exit sides need the entry probe to stash arguments; fexit reads them directly.
const withStashTargets = (group: ResolvedGroup, family: Family, side: Side): ResolvedGroup =>
  family === 'probe' && side === 'exit' && group.stash ? { ...group, stashTargets: group.targets } : group;

const stashKind = (family: Family): string => attachKind(family, 'entry');

/** Where one group attaches: its targets, where it stashes, and where its keys are remembered. */
export const groupAttachPoints = (group: ResolvedGroup, family: Family, kind: string): string[] => [
  ...group.stashTargets.map((target) => attachPointName(stashKind(family), target)),
  ...group.targets.map((target) => attachPointName(kind, target)),
  ...(group.keysFrom ? [attachPointName('tracepoint', group.keysFrom)] : []),
];

export const resolveFamily = (
  probe: ProbeDefinition,
  family: Family,
  side: Side,
  facts: KernelFacts,
  backend: Backend,
  refused: readonly Refusal[],
  keyed = false,
): Outcome<Attachment> => {
  const unavailable = familyUnavailable(family, side, facts, backend);
  if (unavailable) return failure(unavailable);
  const familyRefusal = refused.find((refusal) => refusal.family === family && !refusal.attachPoint);
  if (familyRefusal) return failure(familyRefusal.reason);

  const groups: ResolvedGroup[] = [];
  const sources = family === 'tracepoint' ? probe.tracepoints : probe.functions;
  for (const source of sources) {
    const resolved =
      family === 'tracepoint'
        ? resolveTracepointGroup(source as TracepointGroup, side, facts, keyed && backend === 'bpftrace')
        : resolveFunctionGroup(probe, source as FunctionGroup, facts);
    if (!resolved.ok) return resolved;
    if (resolved.value) groups.push(withStashTargets(resolved.value, family, side));
  }
  if (groups.length === 0) return failure('no attach target on this host');

  const kind = attachKind(family, side);
  const attachPoints = [...new Set(groups.flatMap((group) => groupAttachPoints(group, family, kind)))];
  const pointRefusal = refused.find((refusal) => refusal.attachPoint && attachPoints.includes(refusal.attachPoint));
  if (pointRefusal) return failure(`${pointRefusal.attachPoint}: ${pointRefusal.reason}`);

  return success({ family, kind, side, groups, attachPoints });
};
