// SPDX-License-Identifier: GPL-3.0-or-later
// The plugin's user space alone, as the launcher runs it, over a replayed backend (replayed-backend.ts): the real
// Collector and WhoPublisher, this repository's recorded 6.18 host for the plan, every replayed key a followed cgroup
// or a name of apps_groups.conf's, the protocol written to /dev/null. Prints its CPU over the window after the
// warm-up and its peak RSS, as JSON. Bundled by bench/replay.ts, so that node runs it as it runs dist/cli.js.
import { createWriteStream, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadAppsGroups } from '../../src/apps/load-groups.js';
import { nameCgroups, type CgroupDiscovery } from '../../src/cgroups/cgroup-discovery.js';
import { loadFactsFile } from '../../src/cli/resolve-host.js';
import { success } from '../../src/outcome.js';
import type { BackendCommand } from '../../src/backend/backend-command.js';
import type { CounterKey } from '../../src/plan/counter-keys.js';
import { keyedCounters } from '../../src/plan/counter-sources.js';
import { planProbes, planRequest, type PlanSettings } from '../../src/plan/plan-probes.js';
import { Collector } from '../../src/plugin/collector.js';
import type { WhoOptions } from '../../src/plugin/who-publisher.js';
import { ProtocolOutput } from '../../src/protocol/output-stream.js';
import { replayedKeys } from './replayed-keys.js';

export interface ReplayResult {
  readonly nodePercent: number;
  readonly peakRssMiB: number;
}

const [factsFile, backendScript, style, key, countText, secondsText, warmupText] = process.argv.slice(2) as [
  string,
  string,
  'helper' | 'bpftrace',
  CounterKey,
  string,
  string,
  string,
];
const count = Number(countText);
const tableSize = Math.max(1000, count);
const facts = await loadFactsFile(factsFile);
const who: WhoOptions =
  key === 'cgroup'
    ? {
        cgroups: {
          tableSize,
          discovery: {
            scan: async () =>
              nameCgroups(
                replayedKeys('cgroup', count).map((id) => ({ id: BigInt(id), path: `/replay/c${id}` })),
                { v2: '/sys/fs/cgroup', v1: [] },
              ),
          } as unknown as CgroupDiscovery,
        },
      }
    : { apps: { tableSize, groups: await loadAppsGroups() } };
const settings = { config: { mode: 'entry', tracing: 'auto' } } as PlanSettings;
const sizes = key === 'cgroup' ? { cgroups: { tableSize } } : { apps: { tableSize } };
const counters = [...keyedCounters(planProbes(facts, planRequest(settings, style, sizes)))].join(',');
const command: BackendCommand = {
  backend: style,
  file: process.execPath,
  args: [backendScript, style, key, String(count), counters],
  env: {},
  input: '',
};
const collector = new Collector({
  facts,
  mode: 'entry',
  tracing: 'auto',
  updateEvery: 1,
  backends: [{ backend: style, command: async () => success(command) }],
  log: (line) => process.stderr.write(`replay: ${line}\n`),
  output: new ProtocolOutput(createWriteStream('/dev/null'), () => {}),
  who,
});
const running = collector.run();
await sleep(Number(warmupText) * 1000);
const before = process.cpuUsage();
await sleep(Number(secondsText) * 1000);
const used = process.cpuUsage(before);
const peakKiB = Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
const result: ReplayResult = { nodePercent: ((used.user + used.system) / 1e6 / Number(secondsText)) * 100, peakRssMiB: peakKiB / 1024 };
process.stdout.write(`${JSON.stringify(result)}\n`);
await collector.stop();
await running;
