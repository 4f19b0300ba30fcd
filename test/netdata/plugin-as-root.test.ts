// SPDX-License-Identifier: GPL-3.0-or-later
// The real plugin, installed with `install` into a private Netdata root, run by a real Netdata as root
// with bpftrace; charts and rates checked through the REST API; stop and kill leave nothing behind.
import test from 'ava';
import { startFor } from '../helpers/netdata-agent.js';
import { assertChartsMatchCatalogue, assertRatesMatchWorkload, idleThenBusy, prepareWorkload, waitForCharts } from './expectations.js';
import { bpftraceAsRoot, installInto } from './installed-plugin.js';

test('as root with bpftrace: every entry-mode chart is there as catalogued and its rates follow the workload', async (t) => {
  const workload = prepareWorkload(t, 12);
  const agent = await startFor(t, {
    prepare: installInto, files: bpftraceAsRoot, config: { 'plugin:ebpf_process': { 'command options': `--pid ${workload.pid}` } },
  });
  const charts = await waitForCharts(agent, 'entry');
  assertChartsMatchCatalogue(t, charts, 'entry', 'bpftrace');
  t.true(agent.processes().some((info) => info.command.startsWith('bpftrace') || info.command.includes('/bpftrace ')),
    JSON.stringify(agent.processes()));
  const { idle, busy } = await idleThenBusy(workload);
  await assertRatesMatchWorkload(t, agent, idle, busy);
  const report = await agent.stop();
  t.deepEqual(report.leftovers, [], 'Netdata stopped: no plugin or bpftrace may remain');
});

test('return mode adds the error charts', async (t) => {
  const agent = await startFor(t, { prepare: installInto, files: { 'ebpf_process.conf': '[global]\n\tbackend = bpftrace\n\tebpf load mode = return\n' } });
  assertChartsMatchCatalogue(t, await waitForCharts(agent, 'return'), 'return', 'bpftrace');
});

test('a killed Netdata leaves no plugin or bpftrace behind', async (t) => {
  const agent = await startFor(t, { prepare: installInto, files: bpftraceAsRoot });
  await waitForCharts(agent, 'entry');
  const report = await agent.kill();
  t.deepEqual(report.leftovers, []);
});
