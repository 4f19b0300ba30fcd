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
