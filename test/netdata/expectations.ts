// SPDX-License-Identifier: GPL-3.0-or-later
// What the end-to-end tests check through Netdata's REST API: chart metadata against the catalogue and
// stored per-second rates against the known workload.
import type { ExecutionContext } from 'ava';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { chartCatalogue, chartsForMode, chartType, pluginHealthChart } from '../../src/charts/catalogue.js';
import type { Mode } from '../../src/plan/counters.js';
import { waitFor, type AgentApi } from '../helpers/netdata-agent.js';

interface ApiChart {
  title: string;
  units: string;
  family: string;
  context: string;
  chart_type: string;
  update_every: number;
  dimensions: Record<string, { name: string }>;
  chart_labels: Record<string, string>;
}
export interface ChartsResponse {
  hostname: string;
  charts: Record<string, ApiChart>;
}
interface DataResponse {
  labels: string[];
  data: (number | null)[][];
}

/** Waits until every chart of `mode` is on the agent. */
export const waitForCharts = async (agent: AgentApi, mode: Mode): Promise<ChartsResponse> =>
  waitFor(
    async () => {
      const response = await agent.api<ChartsResponse>('/api/v1/charts');
      return chartsForMode(mode).every((chart) => response.charts[`${chartType}.${chart.id}`]) ? response : undefined;
    },
    async () => `charts of mode ${mode} never appeared on ${agent.hostname}:\n${await agent.logTail()}`,
  );

/** Every chart of the mode is there with the catalogue's title, units, family, dimensions and labels. */
export const assertChartsMatchCatalogue = (t: ExecutionContext, charts: ChartsResponse, mode: Mode, backend: string): void => {
  for (const chart of chartsForMode(mode)) {
    const id = `${chartType}.${chart.id}`;
    const found = charts.charts[id];
    if (!found) {
      t.fail(`${id} missing`);
      continue;
    }
    // Netdata's API appends the chart id to the title.
    t.is(found.title, `${chart.title} (${id})`, id);
    t.is(found.units, chart.units, id);
    t.is(found.family, chart.family, id);
    t.is(found.context, id, id);
    t.deepEqual(
      Object.fromEntries(Object.entries(found.dimensions).map(([dim, { name }]) => [dim, name])),
      Object.fromEntries(chart.dimensions.map((dimension) => [dimension.id, dimension.name])),
      id,
    );
    t.is(found.chart_labels['mode'], mode, id);
    t.is(found.chart_labels['backend'], backend, id);
    for (const dimension of chart.dimensions) t.truthy(found.chart_labels[`${dimension.id}_source`], `${id} ${dimension.id}_source`);
  }
  // Catalogue charts of the other mode stay away (the plugin may add charts of its own, e.g. its health).
  const wanted = new Set(chartsForMode(mode).map((chart) => chart.id));
  const unwanted = chartCatalogue.filter((chart) => !wanted.has(chart.id)).map((chart) => `${chartType}.${chart.id}`);
  t.deepEqual(
    unwanted.filter((id) => charts.charts[id]),
    [],
    `charts outside mode ${mode}`,
  );
};

export interface Window {
  start: number;
  end: number;
  /** The workload's seconds over the seconds it took: below 1 when a loaded host slowed its ticks (it then does its
   *  counts over a longer window, at a lower rate). */
  pace?: number;
}

/** Mean stored rate of one dimension over whole seconds inside the window, skipping the first two points: what the
 *  window's updates add up to. A few events a second (spawns, and releases, which an RCU callback runs a little
 *  later under load) land unevenly in its seconds, so no single second, nor their median, is the rate. */
export const meanRate = async (agent: AgentApi, chart: string, dimension: string, window: Window, minimumPoints = 3): Promise<number> => {
  const after = Math.ceil(window.start);
  const before = Math.floor(window.end) - 1;
  const { labels, data } = await agent.api<DataResponse>(
    `/api/v1/data?chart=${chart}&after=${after}&before=${before}&points=${before - after + 1}&group=average&format=json&options=seconds`,
  );
  const column = labels.indexOf(dimension);
  const points = data
    .map((row) => row[column])
    .filter((value): value is number => typeof value === 'number')
    .reverse()
    .slice(2);
  if (points.length < minimumPoints) throw new Error(`${chart}.${dimension}: only ${points.length} stored points in ${after}..${before}`);
  return points.length === 0 ? 0 : points.reduce((sum, value) => sum + value, 0) / points.length;
};

// Spawning a process costs about 13 close() calls in Node and the child: file opens dwarf that.
export const workloadRates = { opens: 2000, writes: 2000, reads: 2000, spawns: 10, failedOpens: 0 } as const;
export type WorkloadRates = { readonly [key in keyof typeof workloadRates]: number };
const blockBytes = 4096;

export interface Workload {
  readonly pid: number;
  /** Starts the paced load and resolves with the window it ran in. */
  run(): Promise<Window>;
}

/**
 * Spawns the workload, waiting. Its pid goes to the plugin's --pid filter: other work on a shared
 * machine (builds, other tests) then cannot blur the rates.
 */
export const prepareWorkload = (t: ExecutionContext, seconds: number, rates: WorkloadRates = workloadRates): Workload => {
  const script = fileURLToPath(new URL('fixtures/workload.mjs', import.meta.url));
  const { opens, writes, reads, spawns, failedOpens } = rates;
  const child = execa(process.execPath, [script, ...[seconds, opens, writes, reads, spawns, failedOpens].map(String)], { stdin: 'pipe' });
  // Killed by the teardown when the test failed before run(): that rejection is expected, not unhandled.
  void child.catch(() => undefined);
  t.teardown(() => {
    child.kill();
  });
  return {
    pid: child.pid ?? -1,
    run: async () => {
      child.stdin?.write('go\n');
      const window = JSON.parse((await child).stdout) as Window;
      return { ...window, pace: Math.min(1, seconds / (window.end - window.start)) };
    },
  };
};

const idleWindow = async (seconds: number): Promise<Window> => {
  const start = Date.now() / 1000;
  await new Promise((resolve) => {
    setTimeout(resolve, seconds * 1000);
  });
  return { start, end: Date.now() / 1000 };
};

/** `idleSeconds` without the workload, then the workload; resolves once Netdata can have stored both. */
export const idleThenBusy = async (workload: Workload, idleSeconds = 8): Promise<{ idle: Window; busy: Window }> => {
  const idle = await idleWindow(idleSeconds);
  const busy = await workload.run();
  // Netdata stores a second once the next one is collected: wait until the workload's last second is in.
  await waitFor(
    async () => (Date.now() / 1000 > busy.end + 2 ? true : undefined),
    () => 'clock',
  );
  return { idle, busy };
};

// chart, dimension, rate the workload adds (signed as Netdata stores it).
export const expectedRates: readonly [string, string, number][] = [
  ['ebpf.file_descriptor', 'open', workloadRates.opens],
  ['ebpf.file_descriptor', 'close', workloadRates.opens],
  ['ebpf.deleted_objects', 'delete', workloadRates.opens],
  ['ebpf.io', 'write', workloadRates.writes],
  ['ebpf.io', 'read', workloadRates.reads],
  ['ebpf.io_bytes', 'write', -workloadRates.writes * blockBytes],
  ['ebpf.io_bytes', 'read', workloadRates.reads * blockBytes],
  ['ebpf.process_thread', 'process', workloadRates.spawns],
  ['ebpf.exit', 'process', workloadRates.spawns],
  ['ebpf.exit', 'task', -workloadRates.spawns],
];

// The data API names a dimension by its name, which for plugin_health is not its id.
const skippedEventsName = pluginHealthChart.dimensions.find((dimension) => dimension.id === 'skipped_events')!.name;

/**
 * The workload's rate must show on top of the idle rate: at least 90% of it, counting the events the kernel skipped
 * our programs for (`ebpf.plugin_health`'s skipped_events, the only loss there may be), and at most 125% plus a
 * little, since each spawned /bin/true also opens, reads and closes its libraries. The rate is what the workload
 * did: a loaded host can slow its ticks (a spawn alone then takes a large part of its 100 ms).
 */
export const assertRatesMatchWorkload = async (t: ExecutionContext, agent: AgentApi, idle: Window, busy: Window): Promise<void> => {
  const pace = busy.pace ?? 1;
  // An idle dimension may be left unset (a gap) when its counter has not appeared yet: count it as 0.
  const skipped = await meanRate(agent, `${chartType}.${pluginHealthChart.id}`, skippedEventsName, busy, 0);
  for (const [chart, dimension, nominal] of expectedRates) {
    const added = nominal * pace;
    const base = await meanRate(agent, chart, dimension, idle, 0);
    const measured = (await meanRate(agent, chart, dimension, busy)) - base;
    const magnitude = Math.abs(added);
    const ok =
      Math.sign(measured) === Math.sign(added) &&
      Math.abs(measured) + skipped >= 0.9 * magnitude &&
      Math.abs(measured) <= 1.25 * magnitude + 30;
    t.true(
      ok,
      `${chart} ${dimension}: workload adds ${added.toFixed(1)}/s (${nominal}/s at ${(pace * 100).toFixed(1)}% pace), ` +
        `Netdata stored ${measured.toFixed(1)}/s over an idle ${base.toFixed(1)}/s, and ${skipped.toFixed(1)}/s skipped by the kernel`,
    );
  }
};
