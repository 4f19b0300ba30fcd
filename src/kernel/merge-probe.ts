// SPDX-License-Identifier: GPL-3.0-or-later
// Folds the helper's `--probe` into the facts this process gathered itself. The helper may see more than
// we do (tracefs as the netdata user) and is the only judge of what it can load. A failed probe changes
// nothing but a note.
import os from 'node:os';
import type { Outcome } from '../outcome.js';
import type { KernelFacts } from './facts.js';
import type { ProbeResult } from './helper-probe.js';

const errnoName = (errno: number): string =>
  Object.entries(os.constants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;

const trampolineNote = (helper: string, result: ProbeResult): string => {
  const said = `${helper} --probe`;
  if (result.trampoline === 'usable') return `${said}: an fentry program on vfs_read loaded and attached`;
  if (result.trampoline === 'refused') {
    return (
      `${said}: the kernel refused an fentry program on vfs_read ` +
      `(${result.trampoline_errno === undefined ? 'no reason given' : errnoName(result.trampoline_errno)})`
    );
  }
  return `${said}: could not test fentry (${result.bpf ? 'no kernel BTF for vfs_read' : 'it cannot load BPF'})`;
};

export const mergeProbe = (facts: KernelFacts, helper: string, probed: Outcome<ProbeResult>): KernelFacts => {
  if (!probed.ok) {
    return {
      ...facts,
      notes: { ...facts.notes, helperProbe: `${helper} --probe failed (${probed.reason}); facts are this process's own` },
    };
  }
  const result = probed.value;
  // Tracepoints from the helper only when this process saw none: it reads the same tracefs when it can.
  const tracepointsFromHelper = facts.tracepoints.length === 0 && result.tracefs !== null;
  return {
    ...facts,
    ...(tracepointsFromHelper ? { tracefs: result.tracefs, tracepoints: [...result.tracepoints].sort() } : {}),
    trampoline: result.trampoline,
    taskStorage: result.task_storage,
    privileges: { ...facts.privileges, helper: { path: helper, uid: result.euid, canLoadBpf: result.bpf } },
    notes: {
      ...facts.notes,
      trampoline: trampolineNote(helper, result),
      taskStorage: `${helper} --probe: task local storage ${result.task_storage ? 'loads' : 'does not load'} in a tracepoint program`,
      ...(tracepointsFromHelper ? { tracepoints: `${helper} --probe (this process cannot read tracefs)` } : {}),
    },
  };
};
