// SPDX-License-Identifier: GPL-3.0-or-later
// The attach points named beside a dimension (dry-run, the `<dimension>_source` chart labels) are those that add to
// it (issue 26): in entry mode the vectored calls count a call but no bytes, so they do not feed read_bytes.
import test from 'ava';
import { attachPointsFeeding } from '../../src/plan/counter-sources.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import { loadKernelFixture } from './kernel-fixtures.js';

for (const [fixture, tracing, vectored, plain] of [
  ['host-6.18', 'tracepoint', 'tracepoint:syscalls:sys_enter_readv', 'tracepoint:syscalls:sys_enter_read'],
  ['debian-12-6.1', 'probe', 'kprobe:vfs_readv', 'kprobe:vfs_read'],
] as const) {
  test(`${fixture}, ${tracing}: entry mode's read_bytes is fed by ${plain}, not ${vectored}; return mode's by both`, async (t) => {
    const { facts } = await loadKernelFixture(fixture);
    const entry = planProbes(facts, { mode: 'entry', tracing, backend: 'bpftrace' });
    t.true(attachPointsFeeding(entry, 'read').includes(vectored), 'the vectored calls are counted as calls');
    t.true(attachPointsFeeding(entry, 'read_bytes').includes(plain));
    t.false(attachPointsFeeding(entry, 'read_bytes').includes(vectored), attachPointsFeeding(entry, 'read_bytes').join(', '));
    const back = planProbes(facts, { mode: 'return', tracing, backend: 'bpftrace' });
    t.true(
      attachPointsFeeding(back, 'read_bytes').some((point) => point.includes('readv')),
      attachPointsFeeding(back, 'read_bytes').join(', '),
    );
  });
}
