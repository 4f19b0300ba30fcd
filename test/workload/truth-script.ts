// SPDX-License-Identifier: GPL-3.0-or-later
// An independent bpftrace script that watches the workload's process tree on syscall and task tracepoints,
// written here by hand rather than by the collector's generator, so the workload's report is checked against
// the kernel and not against our own code.
import { existsSync } from 'node:fs';

const readWrite = ['read', 'pread64', 'readv', 'preadv', 'preadv2', 'write', 'pwrite64', 'writev', 'pwritev', 'pwritev2'];
/** Calls with a `count` argument on their sys_enter tracepoint. */
export const scalarCalls = ['read', 'pread64', 'write', 'pwrite64'];
/** Every syscall the workload or its libc may use to create a task. */
export const cloneCalls = ['clone', 'clone3', 'fork', 'vfork'];
const workloadSyscalls = ['open', 'openat', 'openat2', 'creat', 'close', 'unlink', 'unlinkat', ...readWrite, ...cloneCalls];

const tracefsEvents = ['/sys/kernel/tracing/events', '/sys/kernel/debug/tracing/events'].find((dir) => existsSync(dir));

/** The syscalls of the workload that this kernel has tracepoints for. */
export const tracedSyscalls = (): string[] =>
  workloadSyscalls.filter((name) => tracefsEvents && existsSync(`${tracefsEvents}/syscalls/sys_enter_${name}`));

const CLONE_THREAD = '0x10000';

const syscallProbes = (name: string): string => {
  const enter = [`@calls["${name}"] = count();`];
  if (scalarCalls.includes(name)) enter.push(`@requested["${name}"] = sum(args->count);`);
  const exit = readWrite.includes(name)
    ? `if (args->ret < 0) { @failed["${name}"] = count(); } else { @transferred["${name}"] = sum(args->ret); }`
    : `if (args->ret < 0) { @failed["${name}"] = count(); }`;
  return (
    `tracepoint:syscalls:sys_enter_${name} /@tree[pid]/ { ${enter.join(' ')} }\n` +
    `tracepoint:syscalls:sys_exit_${name} /@tree[pid]/ { ${exit} }\n`
  );
};

/**
 * BEGIN runs before bpftrace attaches the other probes, so it proves nothing. Two canaries on getppid(2) of the
 * test process, one declared first and one last, bracket the attach order whichever way a version iterates:
 * once both fire, every probe between them is attached.
 */
export const truthScript = (workloadPid: number, testPid: number, syscalls: readonly string[]): string => {
  for (const pid of [workloadPid, testPid]) if (!Number.isInteger(pid) || pid < 1) throw new Error(`bad pid ${pid}`);
  const canary = (name: string, side: string) =>
    `tracepoint:syscalls:sys_${side}_getppid /pid == ${testPid}/ { printf("canary ${name}\\n"); }\n`;
  return [
    `BEGIN { @tree[${workloadPid}] = 1; }\n`,
    canary('first', 'enter'),
    `tracepoint:task:task_newtask /@tree[pid]/ { @tree[args->pid] = 1; printf("created %d\\n", args->pid);` +
      ` if (args->clone_flags & ${CLONE_THREAD}) { @tasks["thread"] = count(); } else { @tasks["process"] = count(); } }\n`,
    // The workload's own exit and release come after the window: only its tasks count.
    `tracepoint:sched:sched_process_exit /@tree[tid] && tid != ${workloadPid}/ { @tasks["exited"] = count(); }\n`,
    `tracepoint:sched:sched_process_free /@tree[args->pid] && args->pid != ${workloadPid}/ { @tasks["released"] = count();` +
      ` printf("released %d\\n", args->pid); }\n`,
    ...syscalls.map(syscallProbes),
    canary('last', 'exit'),
  ].join('');
};
