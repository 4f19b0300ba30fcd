// SPDX-License-Identifier: GPL-3.0-or-later
// Every probe the collector can plan, with its attach candidates per family. The kernel facts behind each
// entry are in docs/attach-points.md.
import type { ProbeDefinition, TracepointGroup, Update } from './catalogue-types.js';
import { syscallTracepoint } from './tracepoint-names.js';

const CLONE_THREAD = '0x10000';
const AT_REMOVEDIR = '0x200';

// read and write differ only in their names: one definition serves both.
const ioProbe = (op: 'read' | 'write'): ProbeDefinition => ({
  id: op,
  summary: `${op}(2) and its vectored and positional variants through the VFS`,
  family: 'vfs',
  order: ['trampoline', 'probe', 'tracepoint'],
  functions: [
    { oneOf: [{ name: `vfs_${op}` }], args: { count: { index: 2 } }, vars: { requested: '{arg.count}' } },
    { oneOf: [{ name: `vfs_${op}v` }], optional: true },
  ],
  tracepoints: [
    { syscalls: [op, `p${op}64`], vars: { requested: '{arg.count}' } },
    { syscalls: [`${op}v`, `p${op}v`, `p${op}v2`], optional: true },
  ],
  entry: [{ counter: op }, { counter: `${op}_bytes`, add: '{requested}' }],
  return: [
    { counter: op },
    { counter: `${op}_error`, when: ['{ret} < 0'] },
    { counter: `${op}_bytes`, when: ['{ret} > 0'], add: '{ret}' },
  ],
});

const countAndFail = (counter: 'open' | 'close' | 'unlink', guard: string[] = []): Pick<ProbeDefinition, 'entry' | 'return'> => ({
  entry: [{ counter, when: guard }],
  return: [{ counter, when: guard }, { counter: `${counter}_error`, when: [...guard, '{failed}'] } as Update],
});

const syscallTracepoints = (...syscalls: string[]): TracepointGroup[] => [{ syscalls }];

export const probeCatalogue: readonly ProbeDefinition[] = [
  {
    id: 'open',
    summary: 'open(2), openat(2), openat2(2), creat(2)',
    family: 'file',
    order: ['trampoline', 'probe', 'tracepoint'],
    functions: [{ oneOf: [{ name: 'do_sys_openat2', since: '5.6' }, { name: 'do_sys_open' }] }],
    tracepoints: syscallTracepoints('open', 'openat', 'openat2', 'creat'),
    ...countAndFail('open'),
  },
  {
    id: 'close',
    summary: 'close(2)',
    family: 'file',
    order: ['trampoline', 'probe', 'tracepoint'],
    functions: [{
      // From 6.6 close(2) no longer calls close_fd; the function it calls returns the file, NULL on a bad fd.
      oneOf: [
        { name: 'file_close_fd', since: '6.8', vars: { failed: '{ret} == 0' } },
        { name: 'close_fd_get_file', since: '6.6', before: '6.8', vars: { failed: '{ret} == 0' } },
        { name: 'close_fd', before: '6.6' },
        { name: '__close_fd', before: '6.6' },
      ],
    }],
    tracepoints: syscallTracepoints('close'),
    ...countAndFail('close'),
  },
  {
    id: 'unlink',
    summary: 'unlink(2) and unlinkat(2) of files (not directories)',
    family: 'vfs',
    order: ['trampoline', 'probe', 'tracepoint'],
    functions: [{ oneOf: [{ name: 'vfs_unlink' }] }],
    tracepoints: [
      // arm64 and the other asm-generic architectures have only unlinkat(2).
      { syscalls: ['unlink'], optional: true },
      { syscalls: ['unlinkat'], stash: `({arg.flag} & ${AT_REMOVEDIR}) == 0`, vars: { isFile: '{stash}' } },
    ],
    ...countAndFail('unlink', ['{isFile}']),
  },
  ioProbe('read'),
  ioProbe('write'),
  {
    id: 'task_create',
    summary: 'tasks created: processes, and threads (CLONE_THREAD)',
    family: 'process',
    order: ['tracepoint', 'trampoline', 'probe'],
    functions: [{
      oneOf: [{ name: 'wake_up_new_task' }],
      args: { p: { index: 0, type: 'struct task_struct *' } },
      vars: { isThread: '{arg.p}->pid != {arg.p}->tgid' },
      needsBtf: true,
    }],
    tracepoints: [{ events: ['task:task_newtask'], vars: { isThread: `({arg.clone_flags} & ${CLONE_THREAD}) != 0` } }],
    entry: [{ counter: 'process', when: ['!{isThread}'] }, { counter: 'thread', when: ['{isThread}'] }],
  },
  {
    id: 'task_error',
    summary: 'failed fork(2), vfork(2), clone(2), clone3(2): threads when CLONE_THREAD was asked',
    family: 'process',
    order: ['trampoline', 'probe', 'tracepoint'],
    returnOnly: true,
    functions: [{
      oneOf: [
        { name: 'kernel_clone', args: { args: { index: 0, type: 'struct kernel_clone_args *' } } },
        { name: '_do_fork', since: '5.3', args: { args: { index: 0, type: 'struct kernel_clone_args *' } } },
      ],
      stash: `({arg.args}->flags & ${CLONE_THREAD}) != 0`,
      vars: { isThread: '{stash}' },
      needsBtf: true,
    }],
    tracepoints: [
      { syscalls: ['clone'], stash: `({arg.clone_flags} & ${CLONE_THREAD}) != 0`, vars: { isThread: '{stash}' } },
      // clone3(2) exists from 5.3.
      { syscalls: ['clone3'], optional: true, stash: `(*(uint64 *)uptr({arg.uargs}) & ${CLONE_THREAD}) != 0`, vars: { isThread: '{stash}' } },
      { syscalls: ['fork', 'vfork'], vars: { isThread: '0' }, optional: true },
    ],
    entry: [],
    return: [
      { counter: 'process_error', when: ['{ret} < 0', '!{isThread}'] },
      { counter: 'thread_error', when: ['{ret} < 0', '{isThread}'] },
    ],
  },
  {
    id: 'exit',
    summary: 'tasks exiting (every thread)',
    family: 'process',
    order: ['tracepoint', 'trampoline', 'probe'],
    functions: [{ oneOf: [{ name: 'do_exit' }] }],
    tracepoints: [{ events: ['sched:sched_process_exit'] }],
    entry: [{ counter: 'exit' }],
  },
  {
    id: 'release',
    summary: 'tasks released (their last reference dropped)',
    family: 'process',
    order: ['tracepoint', 'trampoline', 'probe'],
    // The released task is not the current one: a task filter looks at `subject`.
    functions: [{ oneOf: [{ name: 'release_task' }], args: { p: { index: 0, type: 'struct task_struct *' } }, vars: { subject: '{arg.p}->pid' } }],
    tracepoints: [{ events: ['sched:sched_process_free'], vars: { subject: '{arg.pid}' } }],
    entry: [{ counter: 'release' }],
  },
];

/** Variables a group may leave unset, and the value they then take. */
export const defaultVars: Readonly<Record<string, string>> = { failed: '{ret} < 0', isFile: '1' };

/** The kernel functions and tracepoints the catalogue may use: what fact gathering looks for. */
export const catalogueSymbols = (): string[] => [
  ...new Set(probeCatalogue.flatMap((probe) => probe.functions.flatMap((group) => group.oneOf.map((alt) => alt.name)))),
];

export const catalogueTracepoints = (): string[] => [
  ...new Set(probeCatalogue.flatMap((probe) => probe.tracepoints.flatMap((group) => [
    ...(group.syscalls ?? []).flatMap((name) => [syscallTracepoint(name, 'entry'), syscallTracepoint(name, 'exit')]),
    ...(group.events ?? []),
  ]))),
];
