// SPDX-License-Identifier: GPL-3.0-or-later
// Turns a plan into the helper's program requests: which program of bpf-fallback/process.bpf.c implements
// each planned group, and where it attaches. The C side knows programs, never probes.
import { probeCatalogue } from '../../plan/catalogue.js';
import type { ProbeDefinition, TracepointGroup } from '../../plan/catalogue-types.js';
import type { Attachment, Plan, ResolvedGroup } from '../../plan/plan-types.js';

export interface ProgramRequest {
  readonly program: string;
  readonly targets: readonly string[];
}

/** Program name stems per catalogue group, in the catalogue's group order. */
const stems: Readonly<Record<string, { functions: readonly string[]; tracepoints: readonly string[] }>> = {
  open: { functions: ['open'], tracepoints: ['open'] },
  close: { functions: ['close'], tracepoints: ['close'] },
  unlink: { functions: ['unlink'], tracepoints: ['unlink', 'unlinkat'] },
  read: { functions: ['read', 'readv'], tracepoints: ['read', 'readv'] },
  write: { functions: ['write', 'writev'], tracepoints: ['write', 'writev'] },
  task_create: { functions: ['newtask'], tracepoints: ['newtask'] },
  task_error: { functions: ['clone'], tracepoints: ['clone', 'clone3', 'fork'] },
  exit: { functions: ['exit'], tracepoints: ['exit'] },
  release: { functions: ['release'], tracepoints: ['release'] },
};

const tracepointNames = (group: TracepointGroup): string[] => [
  ...(group.syscalls ?? []).flatMap((name) => [`syscalls:sys_enter_${name}`, `syscalls:sys_exit_${name}`]),
  ...(group.events ?? []),
];

// Resolved groups lose their catalogue position (optional groups may be dropped): find it by target.
const stemOf = (probe: ProbeDefinition, attachment: Attachment, group: ResolvedGroup): string => {
  const target = group.targets[0] ?? '';
  const index = attachment.family === 'tracepoint'
    ? probe.tracepoints.findIndex((candidate) => tracepointNames(candidate).includes(target))
    : probe.functions.findIndex((candidate) => candidate.oneOf.some((alt) => alt.name === target));
  const stem = attachment.family === 'tracepoint' ? stems[probe.id]?.tracepoints[index] : stems[probe.id]?.functions[index];
  if (!stem) throw new Error(`The helper has no program for probe ${probe.id} at ${target}: add one to bpf-fallback/process.bpf.c`);
  return stem;
};

const suffixOf = (attachment: Attachment, group: ResolvedGroup): string => {
  if (attachment.kind !== 'tracepoint') {
    // close's newer functions return the file, so NULL (not a negative errno) marks the failure.
    return attachment.side === 'exit' && group.vars['failed'] === '{ret} == 0' ? `_${attachment.kind}_null` : `_${attachment.kind}`;
  }
  if (!group.targets.every((target) => target.startsWith('syscalls:'))) return '_tp';
  return attachment.side === 'entry' ? '_tp_enter' : '_tp_exit';
};

const requestsFor = (probe: ProbeDefinition, attachment: Attachment): ProgramRequest[] =>
  attachment.groups.flatMap((group) => {
    const stem = stemOf(probe, attachment, group);
    const stashKind = attachment.family === 'tracepoint' ? 'tp' : 'kprobe';
    return [
      ...(group.stashTargets.length > 0 ? [{ program: `${stem}_${stashKind}_stash`, targets: group.stashTargets }] : []),
      { program: `${stem}${suffixOf(attachment, group)}`, targets: group.targets },
    ];
  });

/** The program requests for every probe the plan attaches, in plan order. */
export const helperPrograms = (plan: Plan): ProgramRequest[] =>
  plan.probes.flatMap((planned) => {
    const probe = probeCatalogue.find((candidate) => candidate.id === planned.probe);
    if (!probe) throw new Error(`Plan names probe ${planned.probe}, which the catalogue does not have: re-plan with this version`);
    return planned.chosen ? requestsFor(probe, planned.chosen) : [];
  });
