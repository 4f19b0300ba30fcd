// SPDX-License-Identifier: GPL-3.0-or-later
// Every probe the collector can plan, with its attach candidates per family. The kernel facts behind each
// entry are in docs/attach-points.md.
import type { GroupVariables, ProbeDefinition, Returns, Update } from './catalogue-types.js';
import { arg, compare, flagClear, flagSet, literal, member, not, ret, stash, userU64, variable } from './probe-expr.js';
import { syscallTracepoint } from './tracepoint-names.js';
import type { WantedNames } from '../kernel/gather.js';

/** Kernel flags the probes test (include/uapi/linux/sched.h, fcntl.h); the selftest passes them too. */
export const CLONE_THREAD = 0x10000;
export const AT_REMOVEDIR = 0x200;
const isThread = variable('isThread');
// The task probes see the task itself: its first argument, or the task event's fields.
const taskArgument = { p: { index: 0, type: 'struct task_struct *' } };
const taskEventsFirst = ['tracepoint', 'trampoline', 'probe'] as const;

// read and write differ only in their names: one definition serves both.
const ioProbe = (op: 'read' | 'write'): ProbeDefinition => ({
  id: op,
  summary: `${op}(2) and its vectored and positional variants through the VFS`,
  family: 'vfs',
  order: ['trampoline', 'probe', 'tracepoint'],
  returns: 'count',
  functions: [
    { program: op, oneOf: [{ name: `vfs_${op}` }], args: { count: { index: 2 } }, vars: { requested: arg('count') } },
    // The vectored calls' sizes are in their iovecs: entry mode counts their calls, not their bytes.
    { program: `${op}v`, oneOf: [{ name: `vfs_${op}v` }], optional: true },
  ],
  tracepoints: [
    { program: op, syscalls: [op, `p${op}64`], args: { count: { index: 2 } }, vars: { requested: arg('count') } },
    { program: `${op}v`, syscalls: [`${op}v`, `p${op}v`, `p${op}v2`], optional: true },
  ],
  entry: [{ counter: op }, { counter: `${op}_bytes`, add: variable('requested') }],
  return: [
    { counter: op },
    { counter: `${op}_error`, when: [compare(ret, '<', 0)] },
    { counter: `${op}_bytes`, when: [compare(ret, '>', 0)], add: ret },
  ],
});

// `failed` is what the attach point's return value says about failure (choose-attach.ts derives it from `returns`).
const countAndFail = (counter: 'open' | 'close' | 'unlink', guard: Update['when'] = []): Pick<ProbeDefinition, 'entry' | 'return'> => ({
  entry: [{ counter, when: guard }],
  return: [
    { counter, when: guard },
    { counter: `${counter}_error`, when: [...guard, variable('failed')] },
  ],
});

export const probeCatalogue: readonly ProbeDefinition[] = [
  {
    id: 'open',
    summary: 'open(2), openat(2), openat2(2), creat(2)',
    family: 'file',
    order: ['trampoline', 'probe', 'tracepoint'],
    functions: [{ program: 'open', oneOf: [{ name: 'do_sys_openat2', since: '5.6' }, { name: 'do_sys_open' }] }],
    tracepoints: [{ program: 'open', syscalls: ['open', 'openat', 'openat2', 'creat'] }],
    ...countAndFail('open'),
  },
  {
    id: 'close',
    summary: 'close(2)',
    family: 'file',
    order: ['trampoline', 'probe', 'tracepoint'],
    functions: [
      {
        program: 'close',
        // From 6.6 close(2) no longer calls close_fd; the function it calls returns the file, NULL on a bad fd.
        oneOf: [
          { name: 'file_close_fd', since: '6.8', returns: 'pointer' },
          { name: 'close_fd_get_file', since: '6.6', before: '6.8', returns: 'pointer' },
          { name: 'close_fd', before: '6.6' },
          { name: '__close_fd', before: '6.6' },
        ],
      },
    ],
    tracepoints: [{ program: 'close', syscalls: ['close'] }],
    ...countAndFail('close'),
  },
  {
    id: 'unlink',
    summary: 'unlink(2) and unlinkat(2) of files (not directories)',
    family: 'vfs',
    order: ['trampoline', 'probe', 'tracepoint'],
    functions: [{ program: 'unlink', oneOf: [{ name: 'vfs_unlink' }] }],
    tracepoints: [
      // arm64 and the other asm-generic architectures have only unlinkat(2).
      { program: 'unlink', syscalls: ['unlink'], optional: true },
      {
        program: 'unlinkat',
        syscalls: ['unlinkat'],
        args: { flag: { index: 2 } },
        stash: flagClear(arg('flag'), AT_REMOVEDIR),
        vars: { isFile: stash },
      },
    ],
    ...countAndFail('unlink', [variable('isFile')]),
  },
  ioProbe('read'),
  ioProbe('write'),
  {
    id: 'task_create',
    summary: 'tasks created: processes, and threads (CLONE_THREAD)',
    family: 'process',
    order: taskEventsFirst,
    functions: [
      {
        program: 'newtask',
        oneOf: [{ name: 'wake_up_new_task' }],
        args: taskArgument,
        vars: { isThread: compare(member(arg('p'), 'pid'), '!=', member(arg('p'), 'tgid')) },
        needsBtf: true,
      },
    ],
    tracepoints: [{ program: 'newtask', events: ['task:task_newtask'], vars: { isThread: flagSet(arg('clone_flags'), CLONE_THREAD) } }],
    entry: [
      { counter: 'process', when: [not(isThread)] },
      { counter: 'thread', when: [isThread] },
    ],
  },
  {
    id: 'task_error',
    summary: 'failed fork(2), vfork(2), clone(2), clone3(2): threads when CLONE_THREAD was asked',
    family: 'process',
    order: ['trampoline', 'probe', 'tracepoint'],
    returnOnly: true,
    functions: [
      {
        program: 'clone',
        oneOf: [{ name: 'kernel_clone' }, { name: '_do_fork', since: '5.3' }],
        args: { args: { index: 0, type: 'struct kernel_clone_args *' } },
        stash: flagSet(member(arg('args'), 'flags'), CLONE_THREAD),
        vars: { isThread: stash },
        needsBtf: true,
      },
    ],
    tracepoints: [
      {
        program: 'clone',
        syscalls: ['clone'],
        args: { clone_flags: { index: 0 } },
        stash: flagSet(arg('clone_flags'), CLONE_THREAD),
        vars: { isThread: stash },
      },
      // clone3(2) exists from 5.3; its flags are the first member of the struct clone_args it is given.
      {
        program: 'clone3',
        syscalls: ['clone3'],
        optional: true,
        args: { uargs: { index: 0 } },
        stash: flagSet(userU64(arg('uargs')), CLONE_THREAD),
        vars: { isThread: stash },
      },
      { program: 'fork', syscalls: ['fork', 'vfork'], vars: { isThread: literal(0) }, optional: true },
    ],
    entry: [],
    return: [
      { counter: 'process_error', when: [compare(ret, '<', 0), not(isThread)] },
      { counter: 'thread_error', when: [compare(ret, '<', 0), isThread] },
    ],
  },
  {
    id: 'exit',
    summary: 'tasks exiting (every thread)',
    family: 'process',
    order: taskEventsFirst,
    functions: [{ program: 'exit', oneOf: [{ name: 'do_exit' }] }],
    tracepoints: [{ program: 'exit', events: ['sched:sched_process_exit'] }],
    entry: [{ counter: 'exit' }],
  },
  {
    id: 'release',
    summary: 'tasks released (their last reference dropped)',
    family: 'process',
    order: taskEventsFirst,
    // The released task is not the current one: a task filter looks at `subject`.
    functions: [
      {
        program: 'release',
        oneOf: [{ name: 'release_task' }],
        args: taskArgument,
        vars: { subject: member(arg('p'), 'pid') },
      },
    ],
    tracepoints: [
      { program: 'release', events: ['sched:sched_process_free'], vars: { subject: arg('pid') }, keysFrom: 'sched:sched_process_exit' },
    ],
    entry: [{ counter: 'release' }],
  },
];

/** Variables a group may leave unset, and the value they then take: failure is what the return value says. */
export const defaultVars = (returns: Returns): GroupVariables => ({
  failed: returns === 'pointer' ? compare(ret, '==', 0) : compare(ret, '<', 0),
  isFile: literal(1),
});

/** The kernel functions and tracepoints the catalogue may use: what fact gathering looks for. */
export const catalogueSymbols = (): string[] => [
  ...new Set(probeCatalogue.flatMap((probe) => probe.functions.flatMap((group) => group.oneOf.map((alt) => alt.name)))),
];

/** Fire when a cgroup is made and removed, with its id: per-cgroup counters learn of a new cgroup before its first
 *  event, so it is charted at once, and forget a removed one (src/plan/counter-keys.ts). */
export const cgroupEvents = { created: 'cgroup:cgroup_mkdir', removed: 'cgroup:cgroup_rmdir' } as const;

export const catalogueTracepoints = (): string[] => [
  ...new Set(
    probeCatalogue.flatMap((probe) =>
      probe.tracepoints.flatMap((group) => [
        ...(group.syscalls ?? []).flatMap((name) => [syscallTracepoint(name, 'entry'), syscallTracepoint(name, 'exit')]),
        ...(group.events ?? []),
      ]),
    ),
  ),
  ...Object.values(cgroupEvents),
];

/** What fact gathering looks for on a live host. */
export const catalogueNames = (): WantedNames => ({ symbols: catalogueSymbols(), tracepoints: catalogueTracepoints() });
