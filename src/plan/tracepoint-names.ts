// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel's names of a syscall's tracepoints: sys_enter_X at its entry, sys_exit_X at its exit.
import type { TracepointGroup } from './catalogue-types.js';
import type { Side } from './families.js';

export const syscallTracepoint = (syscall: string, side: Side): string => `syscalls:sys_${side === 'entry' ? 'enter' : 'exit'}_${syscall}`;

/** A tracepoint group's tracepoints on one side: its syscalls', then its events (the same on both sides). */
export const groupTracepoints = (group: TracepointGroup, side: Side): string[] => [
  ...(group.syscalls ?? []).map((syscall) => syscallTracepoint(syscall, side)),
  ...(group.events ?? []),
];

/** Whether tracepoints ("subsystem:event") are syscalls' (their record holds args[] or ret) or other events. */
export const tracepointSource = (targets: readonly string[]): 'syscall' | 'event' =>
  targets.every((target) => target.startsWith('syscalls:')) ? 'syscall' : 'event';
