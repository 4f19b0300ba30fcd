// SPDX-License-Identifier: GPL-3.0-or-later
// Turn what a backend said about failed attach points into refusals the planner understands, so the next plan
// avoids what failed: the helper's typed events, or bpftrace's stderr (bpftrace's own words: no other source).
import type { Family } from '../plan/families.js';
import type { Refusal } from '../plan/plan-types.js';
import { failedAttachPoints, type HelperEvent } from '../samples/helper-events.js';
import type { BackendExit } from './run-backend.js';

const familyOfKind: Record<string, Family> = {
  kfunc: 'trampoline',
  kretfunc: 'trampoline',
  fentry: 'trampoline',
  fexit: 'trampoline',
  kprobe: 'probe',
  kretprobe: 'probe',
  tracepoint: 'tracepoint',
};
// bpftrace's older names for fentry/fexit, back to the plan's names.
const planKind: Record<string, string> = { kfunc: 'fentry', kretfunc: 'fexit' };

const refusalOf = (kind: string, target: string, reason: string): Refusal => ({
  attachPoint: `${planKind[kind] ?? kind}:${target}`,
  reason,
});

const patterns: ReadonlyArray<[RegExp, (match: RegExpExecArray) => Refusal]> = [
  [
    /kfunc\/kretfunc not available|fentry\/fexit not available|kfunc.*not supported/i,
    () => ({ family: 'trampoline', reason: 'bpftrace says fentry/fexit (kfunc) is not available on this kernel' }),
  ],
  [
    /Error attaching probe: '?(kprobe|kretprobe|kfunc|kretfunc|fentry|fexit|tracepoint):([\w:.]+)'?/,
    (match) => refusalOf(match[1]!, match[2]!, 'bpftrace could not attach it'),
  ],
  [/tracepoint not found: ([\w]+:[\w]+)/, (match) => ({ attachPoint: `tracepoint:${match[1]}`, reason: 'tracepoint not found' })],
  // 0.24+: a kernel function or tracepoint that is not there is an error of the script's line, not an attach failure.
  [
    /ERROR: No matches for (kprobe|kretprobe|fentry|fexit|tracepoint) ([\w:.]+?)\.?$/,
    (match) => refusalOf(match[1]!, match[2]!, 'bpftrace found no such target on this kernel'),
  ],
  // 0.23 resolves fentry targets through available_filter_functions; a kernel that hides it takes none.
  [
    /ERROR: (?:fentry|fexit|kfunc|kretfunc):[\w.]+: could not read traceable functions/,
    () => ({ family: 'trampoline', reason: 'bpftrace cannot read available_filter_functions to resolve fentry targets' }),
  ],
];

/** bpftrace's attach failures, from its stderr lines. */
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

const EPERM = 1;
const EACCES = 13;

/** The refusals one helper event asks for: none for events that are not about attach points. */
export const refusalsFromEvent = (event: HelperEvent): Refusal[] => {
  if (event.event !== 'attach_failed' && event.event !== 'program_refused') return [];
  const points = failedAttachPoints(event);
  // Denied by policy (lockdown, an LSM, a kernel that refuses trampolines): every point of that family will be
  // denied the same way. EACCES from loading is the verifier's verdict on that one program.
  const denied = event.errno === EPERM || (event.errno === EACCES && event.event === 'attach_failed');
  return denied
    ? [{ family: familyOfKind[event.kind]!, reason: `${points.join(', ')} was refused: ${event.reason}` }]
    : points.map((attachPoint) => ({ attachPoint, reason: event.reason }));
};

/** What the planner must avoid after this run: the helper's typed events, or bpftrace's stderr. */
export const refusalsOf = (exit: BackendExit): Refusal[] =>
  exit.backend === 'helper' ? exit.events.flatMap(refusalsFromEvent) : refusalsFromStderr(exit.stderr);

/** Lines that are noise on every run (bpftrace cannot raise RLIMIT_MEMLOCK without CAP_SYS_RESOURCE). */
export const isHarmlessStderr = (line: string): boolean => /RLIMIT_MEMLOCK|^\s*$|^Attaching \d+ probes/.test(line);
