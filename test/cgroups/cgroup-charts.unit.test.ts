// SPDX-License-Identifier: GPL-3.0-or-later
// The per-cgroup and services charts against Netdata's ids, contexts and priorities (docs/cgroups.md), their
// values from per-cgroup totals, what changes when cgroups come and go, and the plugins.d lines they become.
import test from 'ava';
import type { NamedCgroup } from '../../src/cgroups/cgroup-discovery.js';
import { cgroupChartChanges } from '../../src/charts/cgroup-chart-changes.js';
import { cgroupChartInstances, type CgroupChartInstance } from '../../src/charts/cgroup-chart-instances.js';
import { cgroupDimensionValues, type CgroupTotals } from '../../src/charts/cgroup-chart-values.js';
import { cgroupChartsForMode } from '../../src/charts/cgroup-charts.js';
import type { CounterId, Mode } from '../../src/plan/counters.js';
import { cgroupChartDefinitionLines, obsoleteCgroupChartLines } from '../../src/protocol/cgroup-chart-lines.js';
import { dataBlockLines } from '../../src/protocol/data-block-lines.js';
import { tokenize } from '../helpers/netdata-tokenizer.js';

// One update as the plugin makes it (src/plugin/who-publisher.ts): the charts now, what changed, every value.
const cgroupChartUpdate = (
  previous: readonly CgroupChartInstance[],
  cgroups: readonly NamedCgroup[],
  mode: Mode,
  totals: CgroupTotals,
  collected: ReadonlySet<CounterId>,
) => {
  const charts = cgroupChartInstances(cgroups, mode);
  const valueOf = cgroupDimensionValues(totals, collected);
  const values = new Map(
    charts.map((chart) => [
      chart.key,
      new Map(
        chart.dimensions.flatMap((dimension) => {
          const value = valueOf(dimension);
          return value === undefined ? [] : [[dimension.id, value] as const];
        }),
      ),
    ]),
  );
  return { charts, ...cgroupChartChanges(previous, charts), values };
};

// Netdata's ebpf_process.c, ebpf_fd.c, ebpf_vfs.c: chart id, context, priority (40000 + offset) per cgroup.
const netdataCgroupCharts: [id: string, context: string, priority: number, returnOnly: boolean][] = [
  ['process_create', 'cgroup.process_create', 45000, false],
  ['thread_create', 'cgroup.thread_create', 45001, false],
  ['task_exit', 'cgroup.task_exit', 45002, false],
  ['task_close', 'cgroup.task_close', 45003, false],
  ['task_error', 'cgroup.task_error', 45004, true],
  ['file_open', 'cgroup.fd_open', 45400, false],
  ['file_open_error', 'cgroup.fd_open_error', 45401, true],
  ['file_closed', 'cgroup.fd_close', 45402, false],
  ['file_close_error', 'cgroup.fd_close_error', 45403, true],
  ['file_deleted', 'cgroup.vfs_unlink', 45500, false],
  ['vfs_write_call', 'cgroup.vfs_write', 45501, false],
  ['vfs_write_error', 'cgroup.vfs_write_error', 45502, true],
  ['vfs_read_call', 'cgroup.vfs_read', 45503, false],
  ['vfs_read_error', 'cgroup.vfs_read_error', 45504, true],
  ['vfs_write_bytes', 'cgroup.vfs_write_bytes', 45505, false],
  ['vfs_read_bytes', 'cgroup.vfs_read_bytes', 45506, false],
];

const web: NamedCgroup = { id: 44n, path: '/system.slice/docker-1.scope', kind: 'cgroup', name: 'web', charted: true };
const nginx: NamedCgroup = { id: 45n, path: '/system.slice/nginx.service', kind: 'service', name: 'nginx', charted: true };
const cron: NamedCgroup = { id: 46n, path: '/system.slice/cron.service', kind: 'service', name: 'cron', charted: true };
const slice: NamedCgroup = { id: 47n, path: '/system.slice', kind: 'cgroup', name: 'system-slice', charted: false };
const allCounters = new Set(cgroupChartsForMode('return').flatMap((chart) => chart.counters));

test("per cgroup: Netdata's chart ids, contexts and priorities, the error charts in return mode only", (t) => {
  for (const mode of ['entry', 'return'] as const) {
    const { charts } = cgroupChartUpdate([], [web], mode, new Map(), allCounters);
    t.deepEqual(
      charts.map(({ type, id, context, priority }) => [type, id, context, priority]),
      netdataCgroupCharts
        .filter(([, , , returnOnly]) => mode === 'return' || !returnOnly)
        .map(([id, context, priority]) => ['cgroup_web', id, context, priority]),
    );
    t.true(
      charts.every((chart) => chart.labels.length === 1 && chart.labels[0]!.name === 'cgroup_name' && chart.labels[0]!.value === 'web'),
    );
  }
});

test('services: one services.* chart per chart id with a dimension per service; uncharted cgroups get nothing', (t) => {
  const { charts } = cgroupChartUpdate([], [web, nginx, cron, slice], 'entry', new Map(), allCounters);
  const services = charts.filter((chart) => chart.type === 'services');
  t.deepEqual(
    services.map((chart) => chart.id),
    cgroupChartsForMode('entry').map((chart) => chart.id),
  );
  t.like(
    services.find((chart) => chart.id === 'process_create'),
    { context: 'services.process_create', kind: 'stacked', priority: 20065 },
  );
  t.like(
    services.find((chart) => chart.id === 'file_open'),
    { context: 'services.fd_open', priority: 20061 },
  );
  t.true(services.every((chart) => chart.dimensions.map((dimension) => dimension.id).join() === 'systemd_nginx,systemd_cron'));
  t.false(charts.some((chart) => chart.type === 'cgroup_system-slice'));
});

test("values are each cgroup's totals (0 before its first event); uncollected counters leave a gap", (t) => {
  const totals = new Map<string, Map<CounterId, bigint>>([
    [
      '44',
      new Map<CounterId, bigint>([
        ['process', 3n],
        ['process_error', 1n],
        ['thread_error', 2n],
        ['read_bytes', 4096n],
      ]),
    ],
    ['45', new Map<CounterId, bigint>([['process', 7n]])],
  ]);
  const collected = new Set<CounterId>([...allCounters].filter((counter) => counter !== 'close'));
  const { values } = cgroupChartUpdate([], [web, nginx, cron], 'return', totals, collected);
  t.deepEqual(values.get('cgroup_web.process_create'), new Map([['_do_fork', 3n]]));
  t.deepEqual(values.get('cgroup_web.task_error'), new Map([['do_exit', 3n]]));
  t.deepEqual(values.get('cgroup_web.vfs_read_bytes'), new Map([['vfs_read', 4096n]]));
  t.deepEqual(values.get('cgroup_web.file_closed'), new Map());
  t.deepEqual(
    values.get('services.process_create'),
    new Map([
      ['systemd_nginx', 7n],
      ['systemd_cron', 0n],
    ]),
  );
});

test("a cgroup that appears is defined in the same update; one that leaves is obsoleted, a service leaving its charts' dimension", (t) => {
  const first = cgroupChartUpdate([], [nginx, cron], 'entry', new Map(), allCounters);
  t.is(first.define.length, first.charts.length);
  const same = cgroupChartUpdate(first.charts, [nginx, cron], 'entry', new Map(), allCounters);
  t.deepEqual([same.define.length, same.obsolete.length], [0, 0]);
  const changed = cgroupChartUpdate(first.charts, [web, nginx], 'entry', new Map(), allCounters);
  t.true(changed.define.filter((each) => each.chart.type === 'cgroup_web').length === cgroupChartsForMode('entry').length);
  const services = changed.define.filter((each) => each.chart.type === 'services');
  t.true(
    services.length > 0 && services.every((each) => each.obsoleteDimensions.map((dimension) => dimension.id).join() === 'systemd_cron'),
  );
  const gone = cgroupChartUpdate(changed.charts, [], 'entry', new Map(), allCounters);
  t.deepEqual(
    gone.obsolete.map((chart) => chart.key),
    changed.charts.map((chart) => chart.key),
  );
});

test('two cgroups with the same name: the first keeps it, the second is not charted (shared chart ids)', (t) => {
  const twin: NamedCgroup = { ...web, id: 99n, path: '/other/web' };
  const { charts } = cgroupChartUpdate([], [web, twin], 'entry', new Map(), allCounters);
  t.true(charts.every((chart) => chart.dimensions.every((dimension) => dimension.cgroupId === 44n)));
});

test('plugins.d lines: CHART with type, context, chart type and obsolete option; DIMENSION; CLABEL; data block', (t) => {
  const update = cgroupChartUpdate(
    [],
    [web, nginx, cron],
    'return',
    new Map([['44', new Map<CounterId, bigint>([['open', 5n]])]]),
    allCounters,
  );
  const open = update.charts.find((chart) => chart.key === 'cgroup_web.file_open')!;
  const lines = cgroupChartDefinitionLines(open, 2);
  t.deepEqual(lines.map(tokenize), [
    [
      'CHART',
      'cgroup_web.file_open',
      '',
      'Number of open files',
      'calls/s',
      'file_access',
      'cgroup.fd_open',
      'line',
      '45400',
      '2',
      '',
      'ebpf_process.plugin',
      'process',
    ],
    ['DIMENSION', 'do_sys_open', 'open', 'incremental', '1', '1'],
    ['CLABEL', 'cgroup_name', 'web', '1'],
    ['CLABEL_COMMIT'],
  ]);
  t.deepEqual(tokenize(obsoleteCgroupChartLines(open, 2)[0]!)[10], 'obsolete');
  t.deepEqual(dataBlockLines(open, update.values.get(open.key)!, undefined, open.type), [
    'BEGIN cgroup_web.file_open',
    'SET do_sys_open = 5',
    'END',
  ]);
  const services = update.charts.find((chart) => chart.key === 'services.file_open')!;
  const withLeaver = cgroupChartDefinitionLines(services, 1, [
    { id: 'systemd_gone', name: 'gone', cgroupId: 1n, cgroupKey: '1', plus: ['open'] },
  ]);
  t.deepEqual(withLeaver.slice(1).map(tokenize), [
    ['DIMENSION', 'systemd_nginx', 'nginx', 'incremental', '1', '1'],
    ['DIMENSION', 'systemd_cron', 'cron', 'incremental', '1', '1'],
    ['DIMENSION', 'systemd_gone', 'gone', 'incremental', '1', '1', 'obsolete'],
  ]);
});
