// SPDX-License-Identifier: GPL-3.0-or-later
// Folding the helper's probe into the facts, with stubbed probe results.
import test from 'ava';
import type { KernelFacts } from '../../src/kernel/facts.js';
import type { ProbeResult } from '../../src/kernel/helper-probe.js';
import { mergeProbe } from '../../src/kernel/merge-probe.js';
import { failure, success } from '../../src/outcome.js';
import { loadKernelFixture } from '../plan/kernel-fixtures.js';

const host = (await loadKernelFixture('host-6.18')).facts;
// What the netdata user sees itself: no tracefs, no BPF.
const asNetdata: KernelFacts = { ...host, tracefs: null, tracepoints: [], privileges: { uid: 999, canLoadBpf: false } };
const helper = '/usr/lib/netdata/plugins.d/ebpf-process/ebpf-process-helper';
const probed: ProbeResult = {
  euid: 999,
  tracefs: '/sys/kernel/tracing',
  tracepoints: ['task:task_newtask', 'syscalls:sys_enter_read'],
  bpf: true,
  trampoline: 'refused',
  trampoline_errno: 1,
  task_storage: true,
};

test("tracefs and tracepoints come from the helper when this process saw none; trampoline and the helper's privileges always", (t) => {
  const merged = mergeProbe(asNetdata, helper, success(probed));
  t.is(merged.tracefs, '/sys/kernel/tracing');
  t.deepEqual(merged.tracepoints, ['syscalls:sys_enter_read', 'task:task_newtask']);
  t.is(merged.trampoline, 'refused');
  t.deepEqual(merged.privileges, { uid: 999, canLoadBpf: false, helper: { path: helper, uid: 999, canLoadBpf: true } });
  t.is(merged.notes?.['trampoline'], `${helper} --probe: the kernel refused an fentry program on vfs_read (EPERM)`);
  t.true(merged.taskStorage);
  t.is(merged.notes?.['taskStorage'], `${helper} --probe: task local storage loads in a tracepoint program`);
  t.regex(merged.notes?.['tracepoints'] ?? '', /cannot read tracefs/);
});

test('tracepoints this process read itself are kept', (t) => {
  const merged = mergeProbe(host, helper, success({ ...probed, tracepoints: ['task:task_newtask'] }));
  t.deepEqual(merged.tracepoints, host.tracepoints);
  t.is(merged.notes?.['tracepoints'], host.notes?.['tracepoints']);
  t.is(merged.trampoline, 'refused');
});

test('a failed probe leaves the facts as they were, plus a note', (t) => {
  const merged = mergeProbe(asNetdata, helper, failure('no answer within 3000 ms'));
  t.deepEqual({ ...merged, notes: undefined }, { ...asNetdata, notes: undefined });
  t.is(merged.trampoline, 'unknown');
  t.regex(merged.notes?.['helperProbe'] ?? '', /--probe failed \(no answer within 3000 ms\)/);
});

test('a helper without BPF cannot judge trampolines', (t) => {
  const merged = mergeProbe(asNetdata, helper, success({ ...probed, bpf: false, trampoline: 'unknown', trampoline_errno: undefined }));
  t.is(merged.trampoline, 'unknown');
  t.false(merged.privileges.helper?.canLoadBpf);
  t.regex(merged.notes?.['trampoline'] ?? '', /it cannot load BPF/);
});
