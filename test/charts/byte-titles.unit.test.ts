// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 26: entry mode counts the bytes a read or write asks for, not those it moved; every chart of bytes says so
// in its title (host, per cgroup, per application), and return mode keeps Netdata's titles.
import test from 'ava';
import { appChartsForMode } from '../../src/charts/app-charts.js';
import { chartsForMode } from '../../src/charts/catalogue.js';
import { cgroupChartsForMode } from '../../src/charts/cgroup-charts.js';
import type { Mode } from '../../src/plan/counters.js';

const byteTitles = (mode: Mode): string[] => [
  ...chartsForMode(mode)
    .filter((chart) => chart.units === 'bytes/s')
    .map((chart) => chart.title),
  ...cgroupChartsForMode(mode)
    .filter((chart) => chart.units === 'bytes/s')
    .flatMap((chart) => [chart.cgroup.title, chart.services.title]),
  ...appChartsForMode(mode)
    .filter((chart) => chart.units === 'bytes/s')
    .map((chart) => chart.title),
];

test("entry mode: every bytes chart's title says the bytes are those asked for", (t) => {
  const titles = byteTitles('entry');
  t.is(titles.length, 7);
  for (const title of titles) t.regex(title, / \(entry mode: asked for, not transferred\)$/);
});

test("return mode: the bytes charts keep Netdata's titles", (t) => {
  t.deepEqual([...new Set(byteTitles('return'))], ['Bytes written and read', 'Bytes written on disk', 'Bytes read from disk']);
});
