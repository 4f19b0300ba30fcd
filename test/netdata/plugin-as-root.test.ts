// SPDX-License-Identifier: GPL-3.0-or-later
// The real plugin, installed with `install` into a private Netdata root, run by a real Netdata as root
// with bpftrace; charts and rates checked through the REST API; stop and kill leave nothing behind.
import test from 'ava';
import { install } from '../../src/install/install.js';
import { startFor, waitFor, type AgentDirs } from '../helpers/netdata-agent.js';
import { assertChartsMatchCatalogue, assertRatesMatchWorkload, prepareWorkload, waitForCharts, type Window } from './expectations.js';

const installInto = async (dirs: AgentDirs): Promise<void> => {
  await install({ paths: { pluginsDir: dirs.plugins, stockConfigDir: dirs.stockConfig, netdataConf: dirs.netdataConf, systemdDropInDir: null } });
};
// Root can run bpftrace 0.17; the install's stock config selects the helper for the netdata user.
const bpftraceAsRoot = { 'ebpf_process.conf': '[global]\n\tbackend = bpftrace\n' };

const idleWindow = async (seconds: number): Promise<Window> => {
  const start = Date.now() / 1000;
  await new Promise((resolve) => { setTimeout(resolve, seconds * 1000); });
  return { start, end: Date.now() / 1000 };
};

test('as root with bpftrace: every entry-mode chart is there as catalogued and its rates follow the workload', async (t) => {
  const workload = prepareWorkload(t, 12);
  const agent = await startFor(t, {
    prepare: installInto, files: bpftraceAsRoot, config: { 'plugin:ebpf_process': { 'command options': `--pid ${workload.pid}` } },
  });
  const charts = await waitForCharts(agent, 'entry');
  assertChartsMatchCatalogue(t, charts, 'entry', 'bpftrace');
  t.true(agent.processes().some((info) => info.command.startsWith('bpftrace') || info.command.includes('/bpftrace ')),
    JSON.stringify(agent.processes()));
  const idle = await idleWindow(8);
  const busy = await workload.run();
  // Netdata stores a second once the next one is collected: wait until the workload's last second is in.
  await waitFor(async () => (Date.now() / 1000 > busy.end + 2 ? true : undefined), () => 'clock');
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
