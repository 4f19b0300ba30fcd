// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #5's fleet clause: a child agent running the installed plugin streams to a parent agent on
// loopback, and the parent serves the child's ebpf.* charts, as catalogued, with the workload's rates;
// issue #17's: the parent's Prometheus endpoint exports them, labelled with the child's hostname.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { mirroredHost, startFor, waitFor, streamingChildFiles, streamingParentFiles } from '../helpers/netdata-agent.js';
import { chartsForMode, chartType, pluginHealthChart } from '../../src/charts/catalogue.js';
import { assertChartsMatchCatalogue, assertRatesMatchWorkload, idleThenBusy, prepareWorkload, waitForCharts } from './expectations.js';
import { bpftraceAsRoot, installInto } from './installed-plugin.js';

interface InfoResponse {
  uid: string;
  mirrored_hosts: string[];
  mirrored_hosts_status: { guid: string; hostname: string; reachable: boolean; hops: number }[];
}

// Netdata 1.37's Prometheus name for a chart in its default `average` source: netdata_<chart id>_<units>_average,
// units lowercased with "/s" spelled "_persec" and anything else outside [a-z0-9] turned into "_".
const prometheusName = (chartId: string, units: string): string =>
  `netdata_${chartId}_${units.toLowerCase().replace(/\/s$/, '_persec')}_average`.replace(/[^a-z0-9_]/g, '_');

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// One `name{label="value",...} value timestamp` line per sample; comments and other lines are skipped.
const parsePrometheus = (text: string): Sample[] =>
  text.split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)(?: \d+)?$/.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...match[2]!.matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1]!, label[2]!]));
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });

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
  t.like(
    hosts.find((host) => host.hostname === child.hostname),
    { guid: childGuid, reachable: true, hops: 1 },
    JSON.stringify(hosts),
  );
  const own = await parent.api<{ charts: Record<string, unknown> }>('/api/v1/charts');
  t.deepEqual(
    Object.keys(own.charts).filter((id) => id.startsWith(`${chartType}.`)),
    [],
  );

  // What Prometheus (or any TSDB that scrapes Netdata) reads from the parent: every dimension of every chart,
  // under the child's hostname in `instance`; none of them under the parent's own.
  // The parent exports a mirrored chart once it has stored points of it: poll until every chart is there.
  const shown = [...chartsForMode('entry'), pluginHealthChart];
  const scrape = async (): Promise<Sample[]> => {
    const response = await fetch(`http://127.0.0.1:${parent.port}/api/v1/allmetrics?format=prometheus_all_hosts`);
    if (!response.ok) throw new Error(`allmetrics: HTTP ${response.status}`);
    return parsePrometheus(await response.text()).filter((sample) => sample.labels['chart']?.startsWith(`${chartType}.`));
  };
  const samples = await waitFor(
    async () => {
      const found = await scrape();
      return shown.every((chart) => found.some((sample) => sample.labels['chart'] === `${chartType}.${chart.id}`)) ? found : undefined;
    },
    async () => `the parent never exported every ebpf.* chart: ${JSON.stringify(await scrape())}`,
  );
  for (const chart of shown) {
    const id = `${chartType}.${chart.id}`;
    const exported = samples.filter((sample) => sample.labels['chart'] === id && sample.labels['instance'] === child.hostname);
    t.deepEqual(
      exported.map((sample) => sample.labels['dimension']).sort(),
      chart.dimensions.map((dimension) => dimension.name).sort(),
      id,
    );
    t.true(
      exported.every(
        (sample) =>
          sample.name === prometheusName(id, chart.units) && sample.labels['family'] === chart.family && Number.isFinite(sample.value),
      ),
      JSON.stringify(exported),
    );
  }
  t.deepEqual(
    samples.filter((sample) => sample.labels['instance'] !== child.hostname),
    [],
    'only the child has ebpf.* charts',
  );

  const { idle, busy } = await idleThenBusy(workload);
  await assertRatesMatchWorkload(t, mirrored, idle, busy);

  t.deepEqual((await child.stop()).leftovers, [], 'child stopped: no plugin or bpftrace may remain');
  t.deepEqual((await parent.stop()).leftovers, [], 'parent stopped: nothing may remain');
});
