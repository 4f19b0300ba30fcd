// SPDX-License-Identifier: GPL-3.0-or-later
// Why the planner takes or rejects each family: the reasons a user reads in the plan.
import test from 'ava';
import type { ProbeDefinition } from '../../src/plan/catalogue-types.js';
import { resolveFamily } from '../../src/plan/choose-attach.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { PlanRequest, Refusal } from '../../src/plan/plan-types.js';
import { arg } from '../../src/plan/probe-expr.js';
import type { KernelFacts } from '../../src/kernel/facts.js';
import { loadKernelFixture } from './kernel-fixtures.js';

const debian12 = (await loadKernelFixture('debian-12-6.1')).facts;
const host = (await loadKernelFixture('host-6.18')).facts;

const planned = (facts: KernelFacts, probe: string, request: Partial<PlanRequest> = {}) => {
  const plan = planProbes(facts, { mode: 'entry', tracing: 'auto', backend: 'bpftrace', ...request });
  const found = plan.probes.find((candidate) => candidate.probe === probe);
  if (!found) throw new Error(`probe ${probe} is not in the plan`);
  return found;
};

const reasons = (facts: KernelFacts, probe: string, request: Partial<PlanRequest> = {}) =>
  planned(facts, probe, request).rejected.map((rejection) => `${rejection.family}: ${rejection.reason}`);

// A probe of our own: the catalogue's shapes with names that no kernel has, so each case sets up its own facts.
const demo: ProbeDefinition = {
  id: 'demo',
  summary: 'test probe',
  family: 'file',
  order: ['trampoline', 'probe', 'tracepoint'],
  functions: [
    {
      program: 'demo',
      oneOf: [
        { name: 'demo_new', since: '6.8' },
        { name: 'demo_mid', since: '6.6', before: '6.8' },
        { name: 'demo_old', before: '6.6' },
      ],
    },
    { program: 'demo_extra', oneOf: [{ name: 'demo_extra' }], optional: true },
  ],
  tracepoints: [
    { program: 'demo', syscalls: ['demo'] },
    { program: 'demo2', syscalls: ['demo2'], optional: true, stash: arg('flag') },
  ],
  entry: [{ counter: 'open' }],
};

const withFacts = (changes: Partial<KernelFacts>): KernelFacts => ({ ...debian12, ...changes });

test('falls back to tracepoint when kprobes are missing', (t) => {
  const close = planned(host, 'close', { tracing: 'probe' });
  t.is(close.chosen?.family, 'tracepoint');
  t.deepEqual(close.chosen?.attachPoints, ['tracepoint:syscalls:sys_enter_close']);
  t.deepEqual(reasons(host, 'close', { tracing: 'probe' }), [
    'probe: the kernel has no kprobes (CONFIG_KPROBES is off)',
    'trampoline: bpftrace cannot use fentry: available_filter_functions is not readable (lockdown or no ftrace)',
  ]);
});

test('the helper may use fentry where bpftrace cannot read available_filter_functions', (t) => {
  t.is(planned(host, 'close', { backend: 'helper' }).chosen?.attachPoints[0], 'fentry:file_close_fd');
  t.is(planned(host, 'close', { backend: 'bpftrace' }).chosen?.family, 'tracepoint');
});

test('a refused family moves every probe to the next candidate, with the refusal as the reason', (t) => {
  const refused: Refusal[] = [{ family: 'trampoline', reason: 'fentry attach failed: Operation not permitted' }];
  const open = planned(debian12, 'open', { refused });
  t.deepEqual(open.chosen?.attachPoints, ['kprobe:do_sys_openat2']);
  t.deepEqual(reasons(debian12, 'open', { refused }), ['trampoline: fentry attach failed: Operation not permitted']);
  t.is(planned(debian12, 'read', { refused }).chosen?.family, 'probe');
});

test('a refused attach point moves only the probe that uses it', (t) => {
  const refused: Refusal[] = [{ attachPoint: 'kprobe:close_fd', reason: 'Invalid argument' }];
  t.deepEqual(reasons(debian12, 'close', { tracing: 'probe', refused }), ['probe: kprobe:close_fd: Invalid argument']);
  t.deepEqual(planned(debian12, 'close', { tracing: 'probe', refused }).chosen?.attachPoints, ['fentry:close_fd']);
  t.deepEqual(planned(debian12, 'open', { tracing: 'probe', refused }).chosen?.attachPoints, ['kprobe:do_sys_openat2']);
});

test('refusing every family leaves the probe unplanned, with one reason per family', (t) => {
  const refused: Refusal[] = ['trampoline', 'probe', 'tracepoint'].map((family) => ({ family, reason: `${family} refused` }) as Refusal);
  const open = planned(debian12, 'open', { refused });
  t.is(open.chosen, null);
  t.deepEqual(open.counters, ['open']);
  t.deepEqual(reasons(debian12, 'open', { refused }), [
    'trampoline: trampoline refused',
    'probe: probe refused',
    'tracepoint: tracepoint refused',
  ]);
});

test('an optional function group is used when present and skipped when missing', (t) => {
  const facts = withFacts({ release: '6.1.0', symbols: ['demo_old', 'demo_extra'] });
  const both = resolveFamily(demo, 'probe', 'entry', facts, 'bpftrace', []);
  t.deepEqual(both.ok && both.value.attachPoints, ['kprobe:demo_old', 'kprobe:demo_extra']);
  const alone = resolveFamily(demo, 'probe', 'entry', { ...facts, symbols: ['demo_old'] }, 'bpftrace', []);
  t.deepEqual(alone.ok && alone.value.attachPoints, ['kprobe:demo_old']);
});

test('a missing required function group rejects the family and names the functions', (t) => {
  const result = resolveFamily(demo, 'probe', 'entry', withFacts({ symbols: ['demo_extra'] }), 'bpftrace', []);
  t.deepEqual(result, { ok: false, reason: 'none of demo_new, demo_mid, demo_old is in /proc/kallsyms' });
});

test('version ranges pick the alternative meant for the kernel', (t) => {
  const symbols = ['demo_new', 'demo_mid', 'demo_old'];
  const pick = (release: string) => {
    const result = resolveFamily(demo, 'trampoline', 'exit', withFacts({ release, symbols }), 'helper', []);
    return result.ok ? result.value.attachPoints : result.reason;
  };
  t.deepEqual(pick('6.5.13'), ['fexit:demo_old']);
  t.deepEqual(pick('6.6.0-14-amd64'), ['fexit:demo_mid']);
  t.deepEqual(pick('6.7.12'), ['fexit:demo_mid']);
  t.deepEqual(pick('6.8.0-45-generic'), ['fexit:demo_new']);
});

test('a function present outside its version range is rejected with the range', (t) => {
  const result = resolveFamily(demo, 'probe', 'entry', withFacts({ release: '6.7.1', symbols: ['demo_old'] }), 'bpftrace', []);
  t.deepEqual(result, { ok: false, reason: 'demo_old (before 6.6) is in /proc/kallsyms but meant for other kernels than 6.7.1' });
  t.deepEqual(
    reasons(withFacts({ release: '4.15.0-213-generic', symbols: ['_do_fork'], btf: true }), 'task_error', {
      mode: 'return',
      tracing: 'probe',
    })[0],
    'probe: _do_fork (since 5.3) is in /proc/kallsyms but meant for other kernels than 4.15.0-213-generic',
  );
});

test('missing BTF rejects fentry/fexit and kprobes that read kernel structs', (t) => {
  const noBtf = withFacts({ btf: false });
  t.deepEqual(reasons(noBtf, 'task_error', { mode: 'return' }), [
    'trampoline: no kernel BTF (/sys/kernel/btf/vmlinux): fentry/fexit need it',
    'probe: reading kernel structs in kernel_clone needs BTF',
  ]);
  t.is(planned(noBtf, 'task_error', { mode: 'return' }).chosen?.family, 'tracepoint');
  // Counting calls reads no struct: kprobes still work without BTF.
  t.deepEqual(planned(noBtf, 'close').chosen?.attachPoints, ['kprobe:close_fd']);
});

test('without tracefs the tracepoint family is rejected with the mount command', (t) => {
  const result = resolveFamily(demo, 'tracepoint', 'entry', withFacts({ tracefs: null }), 'bpftrace', []);
  t.deepEqual(result, { ok: false, reason: 'tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)' });
});

test('optional tracepoint groups are skipped when missing, and a missing required one names its tracepoints', (t) => {
  const tracepoints = ['syscalls:sys_enter_demo', 'syscalls:sys_exit_demo'];
  const only = resolveFamily(demo, 'tracepoint', 'exit', withFacts({ tracepoints }), 'bpftrace', []);
  t.deepEqual(only.ok && only.value.attachPoints, ['tracepoint:syscalls:sys_exit_demo']);
  const none = resolveFamily(demo, 'tracepoint', 'exit', withFacts({ tracepoints: [] }), 'bpftrace', []);
  t.deepEqual(none, { ok: false, reason: 'none of syscalls:sys_exit_demo is under tracefs' });
});

test('an exit side that reads a stash also attaches its entry side', (t) => {
  const tracepoints = ['syscalls:sys_enter_demo', 'syscalls:sys_exit_demo', 'syscalls:sys_enter_demo2', 'syscalls:sys_exit_demo2'];
  const result = resolveFamily(demo, 'tracepoint', 'exit', withFacts({ tracepoints }), 'bpftrace', []);
  t.deepEqual(result.ok && result.value.attachPoints, [
    'tracepoint:syscalls:sys_exit_demo',
    'tracepoint:syscalls:sys_enter_demo2',
    'tracepoint:syscalls:sys_exit_demo2',
  ]);
  // Without its entry tracepoint the stash cannot be taken: the optional group is dropped.
  const noEntry = resolveFamily(
    demo,
    'tracepoint',
    'exit',
    withFacts({ tracepoints: tracepoints.filter((tp) => tp !== 'syscalls:sys_enter_demo2') }),
    'bpftrace',
    [],
  );
  t.deepEqual(noEntry.ok && noEntry.value.attachPoints, ['tracepoint:syscalls:sys_exit_demo']);
});

test('kretprobes that read a stash are paired with a kprobe on the same function; fexit is not', (t) => {
  t.deepEqual(planned(debian12, 'task_error', { mode: 'return', tracing: 'probe' }).chosen?.attachPoints, [
    'kprobe:kernel_clone',
    'kretprobe:kernel_clone',
  ]);
  t.deepEqual(planned(debian12, 'task_error', { mode: 'return', tracing: 'trampoline' }).chosen?.attachPoints, ['fexit:kernel_clone']);
});

test('auto tries the cheapest family first: tracepoints for task events, fentry for VFS functions', (t) => {
  t.is(planned(debian12, 'task_create').chosen?.family, 'tracepoint');
  t.is(planned(debian12, 'exit').chosen?.family, 'tracepoint');
  t.is(planned(debian12, 'read').chosen?.family, 'trampoline');
  t.deepEqual(planned(debian12, 'read').rejected, []);
});

test('return-only probes are planned in return mode only', (t) => {
  const entry = planProbes(debian12, { mode: 'entry', tracing: 'auto', backend: 'bpftrace' });
  const ret = planProbes(debian12, { mode: 'return', tracing: 'auto', backend: 'bpftrace' });
  t.false(entry.probes.some((probe) => probe.probe === 'task_error'));
  t.true(ret.probes.some((probe) => probe.probe === 'task_error'));
});

test("a kernel whose trampolines the helper's probe found refused plans no fentry for either backend, naming the probe result", (t) => {
  const note = '/x/ebpf-process-helper --probe: the kernel refused an fentry program on vfs_read (EPERM)';
  const refusedHere = withFacts({ trampoline: 'refused', notes: { trampoline: note } });
  for (const backend of ['bpftrace', 'helper'] as const) {
    t.is(planned(refusedHere, 'open', { backend }).chosen?.family, 'probe', backend);
    t.deepEqual(reasons(refusedHere, 'open', { backend }), [`trampoline: the kernel refuses fentry/fexit: ${note}`], backend);
  }
  // Usable or not probed (older fact files): fentry stays first, as before.
  t.is(planned(withFacts({ trampoline: 'usable' }), 'open').chosen?.family, 'trampoline');
  t.is(planned(debian12, 'open').chosen?.family, 'trampoline');
  t.is(debian12.trampoline, 'unknown');
});
