// SPDX-License-Identifier: GPL-3.0-or-later
// Turns a plan into the helper's program requests: the generated BPF program of each planned group
// (program-names.ts), and where it attaches. The C side knows programs, never probes.
import type { Plan } from '../../plan/plan-types.js';
import { cgroupEventPrograms, programName, stashProgramName } from './program-names.js';

export interface ProgramRequest {
  readonly program: string;
  readonly targets: readonly string[];
}

/** The program requests for every probe the plan attaches, in plan order; then the ones that follow cgroups being
 *  made and removed, when the plan keeps their totals. */
export const helperPrograms = (plan: Plan): ProgramRequest[] => [
  ...plan.probes.flatMap(({ chosen }) =>
    chosen
      ? chosen.groups.flatMap((group) => [
          ...(group.stashTargets.length > 0
            ? [{ program: stashProgramName(group.program, chosen.family), targets: group.stashTargets }]
            : []),
          { program: programName(group, chosen.kind, chosen.side), targets: group.targets },
        ])
      : [],
  ),
  ...(plan.cgroupEvents
    ? (['created', 'removed'] as const).map((event) => ({ program: cgroupEventPrograms[event], targets: [plan.cgroupEvents![event]] }))
    : []),
];
