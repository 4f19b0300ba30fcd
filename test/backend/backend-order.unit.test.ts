// SPDX-License-Identifier: GPL-3.0-or-later
// Which backends are offered: as the netdata user only a helper whose probe said it loads BPF.
import test from 'ava';
import { backendAvailability, backendOrder } from '../../src/backend/backend-order.js';
import type { KernelFacts } from '../../src/kernel/facts.js';
import { success } from '../../src/outcome.js';
import { loadKernelFixture } from '../plan/kernel-fixtures.js';

const host = (await loadKernelFixture('host-6.18')).facts;
const helper = '/usr/lib/netdata/plugins.d/ebpf-process/ebpf-process-helper';
const asNetdata = (helperCanLoadBpf: boolean, path = helper): KernelFacts => ({
  ...host,
  privileges: { uid: 999, canLoadBpf: false, helper: { path, uid: 999, canLoadBpf: helperCanLoadBpf } },
});
const offered = (facts: KernelFacts) => backendOrder('auto', backendAvailability(facts, success(helper))).map((entry) => entry.backend);

test('root is offered both backends, bpftrace first', (t) => {
  t.deepEqual(offered(host), ['bpftrace', 'helper']);
});

test('unprivileged, only the capable helper is offered, and bpftrace says it is only run as root', (t) => {
  t.deepEqual(offered(asNetdata(true)), ['helper']);
  const [bpftrace, capable] = backendAvailability(asNetdata(true), success(helper));
  t.regex(bpftrace!.detail, /is only run as root; this process is uid 999/);
  t.regex(capable!.detail, /file capabilities/);
});

test('unprivileged with a helper that cannot load BPF (or was not the one probed), nothing is offered', (t) => {
  t.deepEqual(offered(asNetdata(false)), []);
  t.deepEqual(offered(asNetdata(true, '/elsewhere/ebpf-process-helper')), []);
  t.regex(backendAvailability(asNetdata(false), success(helper))[1]!.detail, /cannot load BPF as uid 999: it lacks its file capabilities/);
});

test('bpftrace 0.25+ without kernel BTF is not offered (tracepoint args need it); older ones are', (t) => {
  const withBpftrace = (version: string, btf: boolean): KernelFacts => ({ ...host, btf, bpftrace: { path: '/usr/bin/bpftrace', version } });
  t.deepEqual(offered(withBpftrace('0.27.1', false)), ['helper']);
  t.regex(
    backendAvailability(withBpftrace('0.27.1', false), success(helper))[0]!.detail,
    /reads tracepoint arguments only from kernel BTF/,
  );
  t.deepEqual(offered(withBpftrace('0.23.2', false)), ['bpftrace', 'helper']);
  t.deepEqual(offered(withBpftrace('0.27.1', true)), ['bpftrace', 'helper']);
});

// The kernel matrix found it: on Debian 11's own 5.10 every bpftrace 0.17 cell failed ("kfunc:vfs_read: BTF data
// not available", "unknown type name 'pid_t'"): 0.17 looks for vmlinux BTF by its BPF id, which 5.10 does not give.
test("bpftrace 0.17 is not offered on real 5.10 (it cannot find that kernel's BTF), naming the fix; 0.23 and 6.1 are", async (t) => {
  const bullseye = (await loadKernelFixture('debian-11-5.10-real')).facts;
  const bookworm = (await loadKernelFixture('debian-12-6.1-real')).facts;
  const root = (facts: KernelFacts, version: string): KernelFacts => ({
    ...facts,
    privileges: { uid: 0, canLoadBpf: true },
    bpftrace: { path: '/usr/bin/bpftrace', version },
  });
  t.deepEqual(offered(root(bullseye, '0.17.0')), ['helper']);
  t.regex(
    backendAvailability(root(bullseye, '0.17.0'), success(helper))[0]!.detail,
    /0\.17\.0 finds kernel BTF only by its BPF id, which kernels before 5\.11 do not give it.*\(fix: bpftrace 0\.18 or later/,
  );
  t.deepEqual(offered(root(bullseye, '0.23.2')), ['bpftrace', 'helper']);
  t.deepEqual(offered(root(bookworm, '0.17.0')), ['bpftrace', 'helper']);
});
