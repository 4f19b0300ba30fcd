// SPDX-License-Identifier: GPL-3.0-or-later
// Live facts of this host: what gatherFacts reads, and what it leaves out when nothing could use it.
import test from 'ava';
import { gatherFacts } from '../../src/kernel/gather.js';
import { buildHelper } from '../backend/helper/support/build.js';

test('kallsyms is read when no helper has said fentry is refused', async (t) => {
  const facts = await gatherFacts();
  t.is(facts.trampoline, 'unknown');
  t.true(facts.symbols.includes('vfs_read'), 'vfs_read is in every kernel this plugin supports');
  t.is(facts.notes?.['symbols'], undefined);
});

test('without kprobes and with fentry refused, kallsyms is not read, and a note says why', async (t) => {
  const facts = await gatherFacts({ helperPath: await buildHelper() });
  if (facts.kprobes || facts.trampoline !== 'refused') {
    // Another kind of host: some plan may attach to kernel functions, so the symbols must be there.
    t.true(facts.symbols.includes('vfs_read'));
    return;
  }
  t.deepEqual(facts.symbols, []);
  t.regex(facts.notes?.['symbols'] ?? '', /no kprobes, and the kernel refuses fentry/);
  t.regex(facts.notes?.['trampoline'] ?? '', /refused/);
});

test('bpftrace is asked its version unless only the helper will run', async (t) => {
  t.regex((await gatherFacts()).bpftrace?.version ?? '', /^\d+\.\d+\.\d+$/);
  t.is((await gatherFacts({ askBpftrace: false })).bpftrace, null);
});
