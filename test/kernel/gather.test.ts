// SPDX-License-Identifier: GPL-3.0-or-later
// Live facts of this host: what gatherFacts reads, what it leaves out when nothing could use it, and the
// fixture recorded on this host against them.
import os from 'node:os';
import test from 'ava';
import { gatherFacts } from '../../src/kernel/gather.js';
import { catalogueNames } from '../../src/plan/catalogue.js';
import { buildHelper } from '../backend/helper/support/build.js';
import { testUnless } from '../helpers/kernel-skips.js';
import { loadKernelFixtures } from '../plan/kernel-fixtures.js';

// Read before any test is declared (ava takes only tests declared at once). What the helper's probe says
// decides which of the two kallsyms cases applies here; the host fixture is only meaningful on its host.
const withHelper = await gatherFacts(catalogueNames(), { helperPath: await buildHelper() });
const functionsUsable = withHelper.kprobes
  ? 'this host has kprobes'
  : withHelper.trampoline !== 'refused'
    ? `the helper found fentry ${withHelper.trampoline}, not refused`
    : undefined;
const live = (await loadKernelFixtures()).find(
  (fixture) => fixture.facts.release === os.release() && fixture.facts.source.includes('recorded live'),
);

test('kallsyms is read when no helper has said fentry is refused', async (t) => {
  const facts = await gatherFacts(catalogueNames());
  t.is(facts.trampoline, 'unknown');
  t.true(facts.symbols.includes('vfs_read'), 'vfs_read is in every kernel this plugin supports');
  t.is(facts.notes?.['symbols'], undefined);
});

testUnless(
  functionsUsable === undefined ? 'no kprobes, and the kernel refuses fentry' : undefined,
  'with kprobes or fentry not refused, kallsyms is read: some plan may attach to kernel functions',
  (t) => {
    t.true(withHelper.symbols.includes('vfs_read'));
  },
);

testUnless(functionsUsable, 'without kprobes and with fentry refused, kallsyms is not read, and a note says why', (t) => {
  t.deepEqual(withHelper.symbols, []);
  t.regex(withHelper.notes?.['symbols'] ?? '', /no kprobes, and the kernel refuses fentry/);
  t.regex(withHelper.notes?.['trampoline'] ?? '', /refused/);
});

test('bpftrace is asked its version unless only the helper will run', async (t) => {
  t.regex((await gatherFacts(catalogueNames())).bpftrace?.version ?? '', /^\d+\.\d+\.\d+$/);
  t.is((await gatherFacts(catalogueNames(), { askBpftrace: false })).bpftrace, null);
});

testUnless(
  live ? undefined : `no fixture under test/fixtures/kernels was recorded live on kernel ${os.release()}`,
  `the fixture recorded on this host${live ? ` (${live.name})` : ''} matches a live gathering`,
  async (t) => {
    const facts = await gatherFacts(catalogueNames());
    const { release, arch, kprobes, btf, filterFunctionsReadable, lockdown, tracefs, symbols, tracepoints } = live!.facts;
    t.like(facts, { release, arch, kprobes, btf, filterFunctionsReadable, lockdown, tracefs });
    t.deepEqual(facts.symbols, symbols);
    t.deepEqual(facts.tracepoints, tracepoints);
  },
);
