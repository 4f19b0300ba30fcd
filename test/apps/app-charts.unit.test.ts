// SPDX-License-Identifier: GPL-3.0-or-later
// Per-application charts: Netdata 1.37's ebpf.plugin ids, titles, units, families and priorities (docs/apps.md),
// per-comm totals folded into groups, and a group seen later drawn within the same update.
import test from 'ava';
import { AppChartsTracker } from '../../src/apps/app-chart-updates.js';
import { groupMatcher } from '../../src/apps/group-rules.js';
import { parseAppsGroups } from '../../src/apps/parse-groups.js';
import { appChartsForMode } from '../../src/charts/app-charts.js';
import { counterIds, type CounterId } from '../../src/plan/counters.js';
import { appChartLines } from '../../src/protocol/app-chart-lines.js';
import { tokenize } from '../helpers/netdata-tokenizer.js';

// What Netdata's ebpf.plugin (collectors/ebpf.plugin/ebpf_fd.c, ebpf_process.c, ebpf_vfs.c of the 1.37 era)
// declares per chart: id, title, units, family, priority; the error charts only in return mode.
const netdata = [
  ['file_open', 'Number of open files', 'calls/s', 'file_access', 20061],
  ['file_open_error', 'Fails to open files', 'calls/s', 'file_access', 20062],
  ['file_closed', 'Files closed', 'calls/s', 'file_access', 20063],
  ['file_close_error', 'Fails to close files', 'calls/s', 'file_access', 20064],
  ['process_create', 'Process started', 'calls/s', 'processes', 20065],
  ['thread_create', 'Threads started', 'calls/s', 'processes', 20066],
  ['task_exit', 'Tasks starts exit process.', 'calls/s', 'processes', 20067],
  ['task_close', 'Tasks closed', 'calls/s', 'processes', 20068],
  ['task_error', 'Errors to create process or threads.', 'calls/s', 'processes', 20069],
  ['file_deleted', 'Files deleted', 'calls/s', 'vfs', 20065],
  ['vfs_write_call', 'Write to disk', 'calls/s', 'vfs', 20066],
  ['vfs_write_error', 'Fails to write', 'calls/s', 'vfs', 20067],
  ['vfs_read_call', 'Read from disk', 'calls/s', 'vfs', 20068],
  ['vfs_read_error', 'Fails to read', 'calls/s', 'vfs', 20069],
  ['vfs_write_bytes', 'Bytes written on disk', 'bytes/s', 'vfs', 20070],
  ['vfs_read_bytes', 'Bytes read from disk', 'bytes/s', 'vfs', 20071],
] as const;
const errorCharts = new Set(['file_open_error', 'file_close_error', 'task_error', 'vfs_write_error', 'vfs_read_error']);

test("the charts carry Netdata's ids, titles, units, families and priorities; error charts in return mode only", (t) => {
  t.deepEqual(
    appChartsForMode('return').map((chart) => [chart.id, chart.title, chart.units, chart.family, chart.priority]),
    netdata.map((row) => [...row]),
  );
  t.deepEqual(
    appChartsForMode('entry').map((chart) => chart.id),
    netdata.map(([id]) => id).filter((id) => !errorCharts.has(id)),
  );
});

const totals = (entries: Record<string, Partial<Record<CounterId, number>>>) =>
  new Map(
    Object.entries(entries).map(([comm, counters]) => [
      comm,
      new Map(Object.entries(counters).map(([counter, value]) => [counter as CounterId, BigInt(value)])),
    ]),
  );

const everything = new Set(counterIds);

const tracker = (mode: 'entry' | 'return') => {
  const parsed = parseAppsGroups('web: nginx* apache2\nsql: mysqld\n', 'f');
  return new AppChartsTracker(parsed.groups, mode, groupMatcher(parsed.rules));
};

const chartLines = (lines: string[], id: string): string[][] => {
  const start = lines.findIndex((line) => line.startsWith(`CHART apps.${id} `));
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('DIMENSION'));
  return lines.slice(start, end).map(tokenize);
};

test('comms fold into their groups; a group seen later gets its dimension on every chart in that same update', (t) => {
  const apps = tracker('return');
  const first = apps.update(
    totals({ nginx: { open: 5, process_error: 1 }, 'nginx-worker': { open: 2, thread_error: 2 }, bash: { open: 1 } }),
    everything,
  );
  t.is(first.define.length, 16);
  const lines = appChartLines(first, 1, undefined);
  t.deepEqual(chartLines(lines, 'file_open'), [
    [
      'CHART',
      'apps.file_open',
      '',
      'Number of open files',
      'calls/s',
      'file_access',
      'apps.file_open',
      'stacked',
      '20061',
      '1',
      '',
      'ebpf_process.plugin',
      'process',
    ],
    ['DIMENSION', 'web', 'web', 'incremental', '1', '1'],
    ['DIMENSION', 'other', 'other', 'incremental', '1', '1'],
  ]);
  const fileOpen = lines.indexOf('BEGIN apps.file_open');
  t.deepEqual(lines.slice(fileOpen, fileOpen + 4), ['BEGIN apps.file_open', 'SET web = 7', 'SET other = 1', 'END']);
  const taskError = lines.indexOf('BEGIN apps.task_error');
  t.deepEqual(
    lines.slice(taskError, taskError + 3),
    ['BEGIN apps.task_error', 'SET web = 3', 'SET other = 0'],
    'process and thread errors add up',
  );

  const same = apps.update(totals({ nginx: { open: 6 }, bash: { open: 1 } }), everything);
  t.deepEqual(same.define, [], 'no new group: no new definitions');
  t.false(appChartLines(same, 1, 1_000_000).some((line) => line.startsWith('CHART')));

  const later = apps.update(totals({ nginx: { open: 6 }, bash: { open: 1 }, mysqld: { open: 3 } }), everything);
  t.is(later.define.length, 16);
  const laterLines = appChartLines(later, 1, 1_000_000);
  t.deepEqual(
    chartLines(laterLines, 'vfs_read_bytes')
      .slice(1)
      .map((words) => words[1]),
    ['web', 'sql', 'other'],
    'file order, `other` last',
  );
  t.true(laterLines.includes('SET sql = 3'));
});

test('entry mode draws only the charts entry mode counts', (t) => {
  const update = tracker('entry').update(
    totals({ mysqld: { read: 4, read_bytes: 4096 } }),
    new Set<CounterId>(['read', 'read_bytes', 'open']),
  );
  t.is(update.define.length, 11);
  const lines = appChartLines(update, 2, undefined);
  t.false(lines.some((line) => line.includes('error')));
  const readBytes = lines.indexOf('BEGIN apps.vfs_read_bytes');
  t.deepEqual(lines.slice(readBytes, readBytes + 3), ['BEGIN apps.vfs_read_bytes', 'SET sql = 4096', 'END']);
  const fileOpen = lines.indexOf('BEGIN apps.file_open');
  t.deepEqual(lines.slice(fileOpen, fileOpen + 3), ['BEGIN apps.file_open', 'SET sql = 0', 'END'], 'collected, not seen yet: 0');
  const exits = lines.indexOf('BEGIN apps.task_exit');
  t.deepEqual(lines.slice(exits, exits + 2), ['BEGIN apps.task_exit', 'END'], 'not collected: a gap, as on the host chart');
});
