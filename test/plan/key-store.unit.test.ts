// SPDX-License-Identifier: GPL-3.0-or-later
// Where the kernel keeps the keyed totals: chosen from the helper's probe, said in the plan, passed to the helper.
import test from 'ava';
import { helperCommand } from '../../src/backend/helper/helper-command.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import { loadKernelFixture } from './kernel-fixtures.js';

const host = (await loadKernelFixture('host-6.18')).facts;
const keys = [{ key: 'cgroup', entries: 100 }] as const;
const request = { mode: 'entry', tracing: 'tracepoint', backend: 'helper', keys } as const;

test('the helper keeps slots where the probe found task local storage, and is told nothing', (t) => {
  const plan = planProbes({ ...host, taskStorage: true, notes: { ...host.notes, taskStorage: 'probe: loads' } }, request);
  t.deepEqual(plan.keyStore, { store: 'slots', reason: 'probe: loads' });
  t.false(helperCommand(plan, { intervalMs: 1000 }).args.includes('--hash-keys'));
});

test('without task local storage the plan says why and the helper gets --hash-keys', (t) => {
  const plan = planProbes({ ...host, taskStorage: false, notes: { ...host.notes, taskStorage: 'probe: does not load' } }, request);
  t.is(plan.keyStore?.store, 'hash');
  t.regex(plan.keyStore?.reason ?? '', /lacks task local storage \(5\.11\): probe: does not load/);
  t.true(helperCommand(plan, { intervalMs: 1000 }).args.includes('--hash-keys'));
});

test('unprobed, the plan says the helper decides; bpftrace has hashes only; no keys, no store', (t) => {
  t.regex(planProbes({ ...host, taskStorage: undefined }, request).keyStore?.reason ?? '', /not probed/);
  t.regex(planProbes(host, { ...request, backend: 'bpftrace' }).keyStore?.reason ?? '', /no task or cgroup local storage/);
  t.is(planProbes(host, { ...request, keys: undefined }).keyStore, undefined);
});
