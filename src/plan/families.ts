// SPDX-License-Identifier: GPL-3.0-or-later
// Attach families (Netdata's `ebpf co-re tracing` values) and the program kind each one uses per side.

export const families = ['trampoline', 'probe', 'tracepoint'] as const;
export type Family = (typeof families)[number];

export const tracingChoices = ['auto', ...families] as const;
export type TracingChoice = (typeof tracingChoices)[number];

/** entry side: where calls are counted in entry mode; exit side: where results are read in return mode. */
export type Side = 'entry' | 'exit';

export type AttachKind = 'fentry' | 'fexit' | 'kprobe' | 'kretprobe' | 'tracepoint';

export const attachKind = (family: Family, side: Side): AttachKind => {
  if (family === 'tracepoint') return 'tracepoint';
  if (family === 'trampoline') return side === 'entry' ? 'fentry' : 'fexit';
  return side === 'entry' ? 'kprobe' : 'kretprobe';
};
