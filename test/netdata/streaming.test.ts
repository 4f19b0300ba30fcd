// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #5's fleet clause: a child agent running the installed plugin streams to a parent agent on
// loopback, and the parent serves the child's ebpf.* charts, as catalogued, with the workload's rates.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { mirroredHost, startFor, streamingChildFiles, streamingParentFiles } from '../helpers/netdata-agent.js';
import { chartType } from '../../src/charts/catalogue.js';
import { assertChartsMatchCatalogue, assertRatesMatchWorkload, idleThenBusy, prepareWorkload, waitForCharts } from './expectations.js';
import { bpftraceAsRoot, installInto } from './installed-plugin.js';

interface InfoResponse { uid: string; mirrored_hosts: string[]; mirrored_hosts_status: { guid: string; hostname: string; reachable: boolean; hops: number }[] }

test('a child streams the entry-mode charts and their rates to a parent on loopback', async (t) => {
  const apiKey = randomUUID();
  const parent = await startFor(t, { files: streamingParentFiles(apiKey) });
  const workload = prepareWorkload(t, 12);
  const child = await startFor(t, {
    prepare: installInto,
    files: { ...bpftraceAsRoot, ...streamingChildFiles(parent.port, apiKey) },
    config: { 'plugin:ebpf_process': { 'command options': `--pid ${workload.pid}` } },
  });
  const mirrored = mirroredHost(parent, child);
  const charts = await waitForCharts(mirrored, 'entry');
  t.is(charts.hostname, child.hostname);
  assertChartsMatchCatalogue(t, charts, 'entry', 'bpftrace');

  // The parent knows the child by the child's own GUID, one hop away; the charts are not the parent's own.
  const childGuid = (await child.api<InfoResponse>('/api/v1/info')).uid;
  const { mirrored_hosts: names, mirrored_hosts_status: hosts } = await parent.api<InfoResponse>('/api/v1/info');
  t.true(names.includes(child.hostname), JSON.stringify(names));
  t.like(hosts.find((host) => host.hostname === child.hostname), { guid: childGuid, reachable: true, hops: 1 }, JSON.stringify(hosts));
  const own = await parent.api<{ charts: Record<string, unknown> }>('/api/v1/charts');
  t.deepEqual(Object.keys(own.charts).filter((id) => id.startsWith(`${chartType}.`)), []);

  const { idle, busy } = await idleThenBusy(workload);
  await assertRatesMatchWorkload(t, mirrored, idle, busy);

  t.deepEqual((await child.stop()).leftovers, [], 'child stopped: no plugin or bpftrace may remain');
  t.deepEqual((await parent.stop()).leftovers, [], 'parent stopped: nothing may remain');
});
