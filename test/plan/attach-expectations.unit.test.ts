// SPDX-License-Identifier: GPL-3.0-or-later
// The attach points each recorded kernel must get, written out by hand from the kernel facts (docs/attach-points.md)
// rather than from the planner's output: the golden files can only be refreshed, these rules have to be argued.
import test from 'ava';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { Mode } from '../../src/plan/counters.js';
import type { TracingChoice } from '../../src/plan/families.js';
import type { Backend } from '../../src/plan/plan-types.js';
import { loadKernelFixture } from './kernel-fixtures.js';

const attachPoints = async (fixture: string, probe: string, mode: Mode, tracing: TracingChoice, backend: Backend = 'bpftrace') => {
  const { facts } = await loadKernelFixture(fixture);
  const planned = planProbes(facts, { mode, tracing, backend }).probes.find((candidate) => candidate.probe === probe);
  if (!planned) throw new Error(`probe ${probe} is not planned in ${mode} mode`);
  return planned.chosen?.attachPoints ?? [];
};

// close(2)'s worker: __close_fd < 5.11 <= close_fd < 6.6 <= close_fd_get_file < 6.8 <= file_close_fd; RHEL 8 has close_fd.
const closeFunction: Record<string, string> = {
  'ubuntu-18.04-4.15': '__close_fd',
  'rhel-8-4.18': 'close_fd',
  'ubuntu-20.04-5.4': '__close_fd',
  'debian-11-5.10': '__close_fd',
  'ubuntu-22.04-5.15': 'close_fd',
  'debian-12-6.1': 'close_fd',
  'debian-12-arm64-6.1': 'close_fd',
  'fedora-39-6.6': 'close_fd_get_file',
  'ubuntu-24.04-6.8': 'file_close_fd',
};

// open: do_sys_openat2 from 5.6, do_sys_open before.
const openFunction: Record<string, string> = {
  'ubuntu-18.04-4.15': 'do_sys_open',
  'rhel-8-4.18': 'do_sys_open',
  'ubuntu-20.04-5.4': 'do_sys_open',
  'debian-11-5.10': 'do_sys_openat2',
  'ubuntu-22.04-5.15': 'do_sys_openat2',
  'debian-12-6.1': 'do_sys_openat2',
  'debian-12-arm64-6.1': 'do_sys_openat2',
  'fedora-39-6.6': 'do_sys_openat2',
  'ubuntu-24.04-6.8': 'do_sys_openat2',
};

for (const [fixture, fn] of Object.entries(closeFunction)) {
  test(`close counts at ${fn} on ${fixture}`, async (t) => {
    t.deepEqual(await attachPoints(fixture, 'close', 'entry', 'probe'), [`kprobe:${fn}`]);
    t.deepEqual(await attachPoints(fixture, 'close', 'return', 'probe'), [`kretprobe:${fn}`]);
  });
}

for (const [fixture, fn] of Object.entries(openFunction)) {
  test(`open counts at ${fn} on ${fixture}`, async (t) => {
    t.deepEqual(await attachPoints(fixture, 'open', 'entry', 'probe'), [`kprobe:${fn}`]);
  });
}

// Failed task creation: kernel_clone from 5.10; _do_fork with kernel_clone_args 5.3-5.9 (kprobe needs BTF to read
// it); before 5.3 _do_fork takes other arguments, so the syscall tracepoints are used.
test('task_error uses kernel_clone from 5.10', async (t) => {
  for (const fixture of ['debian-11-5.10', 'ubuntu-22.04-5.15', 'debian-12-6.1', 'fedora-39-6.6', 'ubuntu-24.04-6.8']) {
    t.deepEqual(await attachPoints(fixture, 'task_error', 'return', 'probe'), ['kprobe:kernel_clone', 'kretprobe:kernel_clone'], fixture);
    t.deepEqual(await attachPoints(fixture, 'task_error', 'return', 'trampoline'), ['fexit:kernel_clone'], fixture);
  }
});

test('task_error uses _do_fork from 5.3 to 5.9 when BTF can read kernel_clone_args', async (t) => {
  const { facts } = await loadKernelFixture('ubuntu-20.04-5.4');
  const withBtf = planProbes({ ...facts, btf: true }, { mode: 'return', tracing: 'probe', backend: 'bpftrace' });
  t.deepEqual(withBtf.probes.find((probe) => probe.probe === 'task_error')?.chosen?.attachPoints, [
    'kprobe:_do_fork',
    'kretprobe:_do_fork',
  ]);
  // Ubuntu 20.04's own kernel has no BTF: the clone tracepoints take over.
  t.deepEqual(await attachPoints('ubuntu-20.04-5.4', 'task_error', 'return', 'probe'), [
    'tracepoint:syscalls:sys_enter_clone',
    'tracepoint:syscalls:sys_exit_clone',
    'tracepoint:syscalls:sys_enter_clone3',
    'tracepoint:syscalls:sys_exit_clone3',
    'tracepoint:syscalls:sys_exit_fork',
    'tracepoint:syscalls:sys_exit_vfork',
  ]);
});

test('task_error uses the clone, fork and vfork tracepoints before 5.3, where clone3 does not exist', async (t) => {
  for (const fixture of ['ubuntu-18.04-4.15', 'rhel-8-4.18']) {
    t.deepEqual(
      await attachPoints(fixture, 'task_error', 'return', 'auto'),
      [
        'tracepoint:syscalls:sys_enter_clone',
        'tracepoint:syscalls:sys_exit_clone',
        'tracepoint:syscalls:sys_exit_fork',
        'tracepoint:syscalls:sys_exit_vfork',
      ],
      fixture,
    );
  }
});

test('arm64 counts only the *at syscalls and clone/clone3 with tracepoints', async (t) => {
  const fixture = 'debian-12-arm64-6.1';
  t.deepEqual(await attachPoints(fixture, 'open', 'entry', 'tracepoint'), [
    'tracepoint:syscalls:sys_enter_openat',
    'tracepoint:syscalls:sys_enter_openat2',
  ]);
  t.deepEqual(await attachPoints(fixture, 'unlink', 'entry', 'tracepoint'), ['tracepoint:syscalls:sys_enter_unlinkat']);
  t.deepEqual(await attachPoints(fixture, 'task_error', 'return', 'tracepoint'), [
    'tracepoint:syscalls:sys_enter_clone',
    'tracepoint:syscalls:sys_exit_clone',
    'tracepoint:syscalls:sys_enter_clone3',
    'tracepoint:syscalls:sys_exit_clone3',
  ]);
});

test('this host (no kprobes, bpftrace without fentry) plans tracepoints for every probe in every mode', async (t) => {
  const { facts } = await loadKernelFixture('host-6.18');
  for (const mode of ['entry', 'return'] as const) {
    for (const tracing of ['auto', 'trampoline', 'probe', 'tracepoint'] as const) {
      const plan = planProbes(facts, { mode, tracing, backend: 'bpftrace' });
      t.deepEqual(
        plan.probes.filter((probe) => probe.chosen?.family !== 'tracepoint').map((probe) => probe.probe),
        [],
        `${mode} ${tracing}`,
      );
    }
  }
});

test('kernels without BTF never plan fentry/fexit', async (t) => {
  for (const fixture of ['ubuntu-18.04-4.15', 'ubuntu-20.04-5.4']) {
    const { facts } = await loadKernelFixture(fixture);
    const plan = planProbes(facts, { mode: 'return', tracing: 'trampoline', backend: 'helper' });
    t.deepEqual(
      plan.probes.filter((probe) => probe.chosen?.family === 'trampoline').map((probe) => probe.probe),
      [],
      fixture,
    );
  }
});

// The helper's fexit programs read the return value with bpf_get_func_ret (5.17): before that its return mode
// takes kretprobes, while bpftrace (which knows each target's prototype) keeps fexit; entry-mode fentry is fine.
test('the helper plans fexit only from kernel 5.17; bpftrace and fentry are not limited by it', async (t) => {
  t.deepEqual(await attachPoints('ubuntu-22.04-5.15', 'read', 'return', 'auto', 'helper'), ['kretprobe:vfs_read', 'kretprobe:vfs_readv']);
  t.deepEqual(await attachPoints('ubuntu-22.04-5.15', 'read', 'return', 'auto', 'bpftrace'), ['fexit:vfs_read', 'fexit:vfs_readv']);
  t.deepEqual(await attachPoints('ubuntu-22.04-5.15', 'read', 'entry', 'auto', 'helper'), ['fentry:vfs_read', 'fentry:vfs_readv']);
  t.deepEqual(await attachPoints('ubuntu-24.04-6.8', 'read', 'return', 'auto', 'helper'), ['fexit:vfs_read', 'fexit:vfs_readv']);
});
