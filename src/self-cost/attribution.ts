// SPDX-License-Identifier: GPL-3.0-or-later
// Which probe family a BPF program works for, from where it is attached: the plan names every attach point
// of every probe, and the helper reports each program with its attach points, so nothing is guessed from
// program names (which the kernel cuts to 15 characters).
import { probeCatalogue } from '../plan/catalogue.js';
import type { ProbeFamily } from '../plan/catalogue-types.js';
import type { Plan } from '../plan/plan-types.js';

// The kernel names a perf-event tracepoint by its event only (sys_enter_read), the plan by subsystem and event:
// kind and last part identify an attach point in both ("tracepoint:sys_enter_read", "kprobe:vfs_read"). A raw
// tracepoint is the plan's tracepoint hooked raw (bpftrace's and the helper's release): the same key.
export const attachKey = (attachPoint: string): string => {
  const parts = attachPoint.split(':');
  return `${parts[0] === 'rawtracepoint' ? 'tracepoint' : parts[0]}:${parts[parts.length - 1]}`;
};

/** The family of the first attach point the plan knows; undefined for programs that are not the plan's. */
export const familyAttribution = (plan: Plan): ((attach: readonly string[]) => ProbeFamily | undefined) => {
  const families = new Map<string, ProbeFamily>();
  for (const planned of plan.probes) {
    const family = probeCatalogue.find((probe) => probe.id === planned.probe)?.family;
    if (family) for (const point of planned.chosen?.attachPoints ?? []) families.set(attachKey(point), family);
  }
  return (attach) => attach.map((point) => families.get(attachKey(point))).find((family) => family !== undefined);
};
