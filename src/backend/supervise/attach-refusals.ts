// SPDX-License-Identifier: GPL-3.0-or-later
// Turn a backend's stderr into refusals the planner understands, so the next plan avoids what failed.
import type { Family } from '../../plan/families.js';
import type { Refusal } from '../../plan/plan-types.js';

const familyOfKind: Record<string, Family> = {
  kfunc: 'trampoline', kretfunc: 'trampoline', fentry: 'trampoline', fexit: 'trampoline',
  kprobe: 'probe', kretprobe: 'probe', tracepoint: 'tracepoint',
};
// bpftrace's older names for fentry/fexit, back to the plan's names.
const planKind: Record<string, string> = { kfunc: 'fentry', kretfunc: 'fexit' };

const permissionDenied = /Operation not permitted|EPERM|Permission denied|EACCES/i;

const refusalOf = (kind: string, target: string, reason: string): Refusal => {
  const family = familyOfKind[kind]!;
  const attachPoint = `${planKind[kind] ?? kind}:${target}`;
  // Denied by policy (lockdown, LSM): every point of that family will be denied the same way.
  return permissionDenied.test(reason) ? { family, reason: `${attachPoint} was refused: ${reason}` } : { attachPoint, reason };
};

const patterns: ReadonlyArray<[RegExp, (match: RegExpExecArray) => Refusal]> = [
  [/kfunc\/kretfunc not available|fentry\/fexit not available|kfunc.*not supported/i,
    () => ({ family: 'trampoline', reason: 'bpftrace says fentry/fexit (kfunc) is not available on this kernel' })],
  [/Error attaching probe: '?(kprobe|kretprobe|kfunc|kretfunc|fentry|fexit|tracepoint):([\w:.]+)'?/,
    (match) => refusalOf(match[1]!, match[2]!, 'bpftrace could not attach it')],
  [/tracepoint not found: ([\w]+:[\w]+)/, (match) => ({ attachPoint: `tracepoint:${match[1]}`, reason: 'tracepoint not found' })],
  [/ebpf-process-helper: attach failed: (\w+):([\w:.]+) \((.*)\)/, (match) => refusalOf(match[1]!, match[2]!, match[3]!)],
  // 0.24+: a kernel function or tracepoint that is not there is an error of the script's line, not an attach failure.
  [/ERROR: No matches for (kprobe|kretprobe|fentry|fexit|tracepoint) ([\w:.]+?)\.?$/,
    (match) => refusalOf(match[1]!, match[2]!, 'bpftrace found no such target on this kernel')],
  // 0.23 resolves fentry targets through available_filter_functions; a kernel that hides it takes none.
  [/ERROR: (?:fentry|fexit|kfunc|kretfunc):[\w.]+: could not read traceable functions/,
    () => ({ family: 'trampoline', reason: 'bpftrace cannot read available_filter_functions to resolve fentry targets' })],
];

export const refusalsFromStderr = (lines: readonly string[]): Refusal[] => {
  const refusals: Refusal[] = [];
  for (const line of lines) {
    for (const [pattern, toRefusal] of patterns) {
      const match = pattern.exec(line);
      if (match) refusals.push(toRefusal(match));
    }
  }
  return refusals;
};

/** Lines that are noise on every run (bpftrace cannot raise RLIMIT_MEMLOCK without CAP_SYS_RESOURCE). */
export const isHarmlessStderr = (line: string): boolean => /RLIMIT_MEMLOCK|^\s*$|^Attaching \d+ probes/.test(line);
