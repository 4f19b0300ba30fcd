// SPDX-License-Identifier: GPL-3.0-or-later
// The per-cgroup charts' values update after update, as Netdata reads them (src/plugin/who-publisher.ts): each
// cgroup's blocks read again only the counters that moved, and still show every total as the kernel keeps it.
import test from 'ava';
import { nameCgroups, type CgroupDiscovery } from '../../src/cgroups/cgroup-discovery.js';
import { planProbes, planRequest } from '../../src/plan/plan-probes.js';
import type { PlanSettings } from '../../src/plan/plan-probes.js';
import { PluginHealth } from '../../src/plugin/plugin-health.js';
import { WhoPublisher } from '../../src/plugin/who-publisher.js';
import { ProtocolBytes } from '../../src/protocol/protocol-bytes.js';
import type { KeyedSample } from '../../src/samples/sample-assembler.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { loadKernelFixture } from '../plan/kernel-fixtures.js';

const ids = [101n, 102n];
const cgroups = nameCgroups(
  ids.map((id) => ({ id, path: `/web${id}` })),
  { v2: '/sys/fs/cgroup', v1: [] },
);
const discovery = { scan: async () => cgroups, root: '/sys/fs/cgroup' } as unknown as CgroupDiscovery;

const sample = (totals: Record<string, Record<string, bigint>>): KeyedSample =>
  new Map([['cgroup', new Map(Object.entries(totals).map(([id, counters]) => [id, new Map(Object.entries(counters))]))]]) as KeyedSample;

test('per-cgroup values follow every total, whichever counters moved, across a backend restart', async (t) => {
  const facts = (await loadKernelFixture('host-6.18')).facts;
  const settings = { config: { mode: 'entry', tracing: 'auto' } } as PlanSettings;
  const plan = planProbes(facts, planRequest(settings, 'helper', { cgroups: { tableSize: 100 } }));
  let text = '';
  const output = { write: (lines: readonly string[]) => (text += lines.map((line) => `${line}\n`).join('')) };
  const who = new WhoPublisher({ cgroups: { tableSize: 100, discovery } }, 'entry', 1, new PluginHealth(() => {}), output, () => {});
  await who.refresh();
  const update = (keyed: KeyedSample): void => {
    const bytes = new ProtocolBytes();
    who.write(keyed, plan, bytes);
    text += bytes.take().toString();
  };
  update(sample({ 101: { read: 1n, open: 2n } }));
  update(sample({ 101: { read: 5n, open: 2n }, 102: { write: 3n } }));
  update(sample({ 101: { read: 5n, open: 2n }, 102: { write: 3n } }));
  update(sample({ 101: { read: 5n, open: 7n }, 102: { write: 3n } }));
  who.startRun();
  update(sample({ 101: { read: 1n }, 102: {} }));
  const charts = replayProtocol(text);
  const values = (chart: string, dimension: string) => charts.get(chart)!.updates.map((one) => one.values.get(dimension));
  t.deepEqual(values('cgroup_web101.vfs_read_call', 'vfs_read'), [1n, 5n, 5n, 5n, 6n], 'read: moved, moved, stayed, stayed, restarted');
  t.deepEqual(values('cgroup_web101.file_open', 'do_sys_open'), [2n, 2n, 2n, 7n, 7n], 'open moved alone in the fourth update');
  t.deepEqual(values('cgroup_web102.vfs_write_call', 'vfs_write'), [0n, 3n, 3n, 3n, 3n], 'a cgroup counted from the second update on');
  t.deepEqual(values('cgroup_web102.vfs_read_call', 'vfs_read'), [0n, 0n, 0n, 0n, 0n]);
});
