// SPDX-License-Identifier: GPL-3.0-or-later
// The names of the helper's BPF programs: what the generated C defines (c-sources/) and what the helper's
// command line enables (helper-programs.ts). A name says what counts and how it attaches, so it can be found
// with grep: `read_fexit`, `close_null_kretprobe`, `unlinkat_tp_exit`, `clone_stash_kprobe`.
import { attachKind, type AttachKind, type Family, type Side } from '../../plan/families.js';
import type { ResolvedGroup } from '../../plan/plan-types.js';

const kindSuffix = (kind: AttachKind, side: Side): string => {
  if (kind !== 'tracepoint') return kind;
  // A syscall's entry and exit tracepoints differ; task events are only used on the entry side.
  return side === 'entry' ? 'tp' : 'tp_exit';
};

/** The program that counts a group at one attach kind. A function returning the object (NULL on failure, close's
 *  newer ones) has exit programs of its own. */
export const programName = (group: Pick<ResolvedGroup, 'program' | 'returns'>, kind: AttachKind, side: Side): string =>
  `${group.program}${side === 'exit' && group.returns === 'pointer' ? '_null' : ''}_${kindSuffix(kind, side)}`;

/** The entry-side program that takes the group's stash for its exit side (kprobe, syscall tracepoint). */
export const stashProgramName = (stem: string, family: Family): string =>
  `${stem}_stash_${kindSuffix(attachKind(family, 'entry'), 'entry')}`;

/** The hand-written programs (bpf-fallback/process.bpf.c) that give a new cgroup zero totals, so that the plugin
 *  charts it before its first event, and delete a removed cgroup's totals. */
export const cgroupEventPrograms = { created: 'add_cgroup_tp', removed: 'forget_cgroup_tp' } as const;

/** The hand-written programs (bpf-fallback/process.bpf.c) that keep --pid's tree, and the events the helper hooks
 *  them on (bpf-fallback/attach.c: track_newtask first, track_free raw and last, after any release program). */
export const filterHookPrograms = {
  follow: { program: 'track_newtask', event: 'task:task_newtask' },
  drop: { program: 'track_free', event: 'sched:sched_process_free' },
} as const;
