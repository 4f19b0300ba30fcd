// SPDX-License-Identifier: GPL-3.0-or-later
// The docs list ebpf.plugin_health's dimensions as the chart catalogue defines them (issue 26: docs/netdata.md named
// 3 of 6): a dimension added to the catalogue fails here until both documents name it.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { pluginHealthChart } from '../../src/charts/catalogue.js';

const row = (file: string, chart: string): string[] => {
  const line = readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .find((each) => each.startsWith(`| ${chart} |`));
  if (!line) throw new Error(`docs/${file} has no table row for ${chart}`);
  return line.split('|').map((cell) => cell.trim());
};

test('docs/netdata.md names every dimension of ebpf.plugin_health, as Prometheus labels them', (t) => {
  const [, , , dimensions] = row('netdata.md', 'ebpf.plugin_health');
  t.deepEqual(
    dimensions!.split(', '),
    pluginHealthChart.dimensions.map((dimension) => dimension.name),
  );
});

test('docs/charts.md describes every dimension of ebpf.plugin_health, in order', (t) => {
  const dimensions = row('charts.md', 'ebpf.plugin_health')[5]!;
  const described = [...dimensions.matchAll(/(?:^|\), )([a-z_]+) \(/g)].map((match) => match[1]);
  t.deepEqual(
    described,
    pluginHealthChart.dimensions.map((dimension) => dimension.id),
  );
});
