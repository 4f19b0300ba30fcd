// SPDX-License-Identifier: GPL-3.0-or-later
// The real plugin, installed with `install` into a private Netdata root, run by a real Netdata two ways: running
// plugins as root with bpftrace, and as the `netdata` user with the install's stock config unmodified (backend =
// helper, helper path = the capable copy). Charts and rates checked through the REST API; stop and kill leave
// nothing behind.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { startFor, waitFor, type Agent, type AgentOptions, type ProcessInfo } from '../helpers/netdata-agent.js';
import { assertChartsMatchCatalogue, assertRatesMatchWorkload, idleThenBusy, prepareWorkload, waitForCharts } from './expectations.js';
import { installInto } from './installed-plugin.js';

interface Setup {
  readonly title: string;
  readonly runAsUser: NonNullable<AgentOptions['runAsUser']>;
  readonly uid: number;
  /** The user's ebpf_process.conf over the installed stock one; `extra` is appended under [global]. */
  readonly userConfig: (extra?: string) => Record<string, string>;
  readonly backend: 'bpftrace' | 'helper';
  readonly isBackend: (info: ProcessInfo) => boolean;
}

const userConfig =
  (lines: readonly string[]) =>
  (extra?: string): Record<string, string> => {
    const all = [...lines, ...(extra ? [extra] : [])];
    return all.length === 0 ? {} : { 'ebpf_process.conf': `[global]\n${all.map((line) => `\t${line}\n`).join('')}` };
  };

const setups: readonly Setup[] = [
  {
    // Root can run bpftrace 0.17; the install's stock config selects the helper, so the user file switches back.
    title: 'as root with bpftrace',
    runAsUser: 'root',
    uid: 0,
    userConfig: userConfig(['backend = bpftrace']),
    backend: 'bpftrace',
    isBackend: (info) => info.command.startsWith('bpftrace') || info.command.includes('/bpftrace '),
  },
  {
    // No user file at all: what `install` wrote is what runs.
    title: 'as the netdata user through the install path',
    runAsUser: 'netdata',
    uid: Number(readFileSync('/etc/passwd', 'utf8').match(/^netdata:[^:]*:(\d+):/m)?.[1] ?? -1),
    userConfig: userConfig([]),
    backend: 'helper',
    isBackend: (info) => info.command.includes('/ebpf-process/ebpf-process-helper '),
  },
];

// The plugin defines its charts just before it spawns the backend, so the charts can be on the agent a moment
// before the backend process is.
const runningBackends = async (agent: Agent, setup: Setup): Promise<ProcessInfo[]> =>
  waitFor(
    async () => {
      const found = agent.processes().filter(setup.isBackend);
      return found.length > 0 ? found : undefined;
    },
    () => `no ${setup.backend} ever ran under Netdata: ${JSON.stringify(agent.processes())}`,
  );

const realUid = (pid: number): number => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

for (const setup of setups) {
  test.serial(`${setup.title}: every entry-mode chart is there as catalogued and its rates follow the workload`, async (t) => {
    const workload = prepareWorkload(t, 12);
    const agent = await startFor(t, {
      prepare: installInto,
      runAsUser: setup.runAsUser,
      files: setup.userConfig(),
      config: { 'plugin:ebpf_process': { 'command options': `--pid ${workload.pid}` } },
    });
    const charts = await waitForCharts(agent, 'entry');
    assertChartsMatchCatalogue(t, charts, 'entry', setup.backend);
    const backends = await runningBackends(agent, setup);
    t.is(backends.length, 1, JSON.stringify(agent.processes()));
    t.deepEqual(
      backends.map((info) => realUid(info.pid)),
      [setup.uid],
      'the backend runs as the user Netdata runs plugins as',
    );
    const { idle, busy } = await idleThenBusy(workload);
    await assertRatesMatchWorkload(t, agent, idle, busy);
    const report = await agent.stop();
    t.deepEqual(report.leftovers, [], `Netdata stopped: no plugin or ${setup.backend} may remain`);
  });

  test.serial(`${setup.title}: return mode adds the error charts`, async (t) => {
    const agent = await startFor(t, {
      prepare: installInto,
      runAsUser: setup.runAsUser,
      files: setup.userConfig('ebpf load mode = return'),
    });
    assertChartsMatchCatalogue(t, await waitForCharts(agent, 'return'), 'return', setup.backend);
  });

  test.serial(`${setup.title}: a killed Netdata leaves no plugin or ${setup.backend} behind`, async (t) => {
    const agent = await startFor(t, { prepare: installInto, runAsUser: setup.runAsUser, files: setup.userConfig() });
    await waitForCharts(agent, 'entry');
    await runningBackends(agent, setup);
    const report = await agent.kill();
    t.deepEqual(report.leftovers, []);
  });
}
