// SPDX-License-Identifier: GPL-3.0-or-later
// Issues #15 and #16 in a real Netdata: the installed plugin with `cgroups = yes` and `apps = yes` in a private
// agent that also runs Netdata's own cgroups.plugin (internal, told to read the cgroup v2 tree, which is where
// the kernel's cgroup ids come from) and Debian's apps.plugin. A shell named by a test apps_groups.conf group
// opens, writes, reads, deletes files and forks inside a cgroup made for the test; the agent's API must show
// our cgroup.* charts for that cgroup and our apps.* dimension for that group carrying that activity, beside
// cgroups.plugin's charts for the same cgroup and apps.plugin's dimension for the same group.
import type { ExecutionContext } from 'ava';
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { copyFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appChartsForMode, appChartType } from '../../src/charts/app-charts.js';
import { cgroupChartsForMode } from '../../src/charts/cgroup-charts.js';
import { cgroupHostTest, netdataPluginsDir, netdataStockConfigDir } from '../helpers/kernel-skips.js';
import { startFor, waitFor, type AgentApi, type AgentDirs } from '../helpers/netdata-agent.js';
import type { ChartsResponse } from './expectations.js';
import { installInto } from './installed-plugin.js';

// The group, and the name of the program doing the work: a link to /bin/sh, whose name becomes the task's comm.
const group = 'ebpfwho';
const cgroupName = `ebpf-process-who-${process.pid}`;
const chartType = `cgroup_${cgroupName}`;
/** The plugin Netdata says collected a chart (its `_collect_plugin` label). */
const ours = 'ebpf_process.plugin';

// Every entry-mode chart the worker's loop drives in its cgroup, but thread_create (a shell starts no threads)
// and task_close: a release is counted per cgroup only where the plan attaches release_task (kprobe or fentry),
// which hands over the freed task; sched:sched_process_free, used where neither works (this host), gives its pid
// and comm but not its cgroup (docs/charts.md). For the group, what the shell itself does: `rm` and `sleep` have names of their own.
const busyCgroupCharts = cgroupChartsForMode('entry')
  .map((chart) => chart.id)
  .filter((id) => id !== 'thread_create' && id !== 'task_close');
const busyGroupCharts = [
  'file_open',
  'file_closed',
  'vfs_write_call',
  'vfs_read_call',
  'vfs_write_bytes',
  'vfs_read_bytes',
  'process_create',
  'task_exit',
  'task_close',
];

/** Our per-cgroup charts have one dimension each; the API's data labels are dimension names. */
const dimensionOf = (id: string): string => cgroupChartsForMode('entry').find((chart) => chart.id === id)!.dimension.name;

interface DataResponse {
  labels: string[];
  data: (number | null)[][];
}

/** The largest rate of one dimension over the last 30 s (0 when it has no value). */
const peak = async (agent: AgentApi, chart: string, dimension: string): Promise<number> => {
  const { labels, data } = await agent.api<DataResponse>(`/api/v1/data?chart=${chart}&after=-30&format=json&options=seconds`);
  const column = labels.indexOf(dimension);
  const values = data.map((row) => row[column]).filter((value): value is number => typeof value === 'number');
  return column < 0 ? 0 : Math.max(0, ...values.map(Math.abs));
};

/** Waits until every [chart, dimension] has stored a non-zero rate (Netdata stores a second once the next is collected). */
const waitForActivity = async (agent: AgentApi, dimensions: readonly (readonly [string, string])[]): Promise<string> => {
  const peaks = async () =>
    Promise.all(dimensions.map(async ([chart, dimension]) => [`${chart} ${dimension}`, await peak(agent, chart, dimension)] as const));
  const seen = await waitFor(
    async () => {
      const now = await peaks();
      return now.every(([, value]) => value > 0) ? now : undefined;
    },
    async () => `no activity stored in some of: ${(await peaks()).map(([name, value]) => `${name} ${value}`).join(', ')}`,
  );
  return seen.map(([name, value]) => `${name} ${value.toFixed(1)}`).join(', ');
};

const prepare = async (dirs: AgentDirs): Promise<void> => {
  await installInto(dirs);
  // cgroups.plugin asks cgroup-name.sh, in the plugins directory, for the name of each cgroup it charts.
  await symlink(path.join(netdataPluginsDir, 'cgroup-name.sh'), path.join(dirs.plugins, 'cgroup-name.sh'));
  // The stock groups, as a packaged agent has them; the test's user file replaces them for both plugins.
  await copyFile(path.join(netdataStockConfigDir, 'apps_groups.conf'), path.join(dirs.stockConfig, 'apps_groups.conf'));
};

/** A cgroup for the test; removed at the end, after every task still in it has been killed. */
const makeCgroup = (t: ExecutionContext, v2Root: string): string => {
  const dir = path.join(v2Root, cgroupName);
  mkdirSync(dir);
  t.teardown(async () => {
    writeFileSync(path.join(dir, 'cgroup.kill'), '1');
    await waitFor(
      async () => (readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').trim() === '' ? true : undefined),
      () => `${dir} kept its tasks`,
    );
    rmdirSync(dir);
  });
  return dir;
};

// cgroups.plugin shares its cgroup list with eBPF collectors here (issue #15 names from it) and 1.37 leaves it
// behind when it stops: removed after the agent, unless it was there before the test (another agent's).
const netdataSharedList = ['/dev/shm/netdata_shm_cgroup_ebpf', '/dev/shm/sem.netdata_sem_cgroup_ebpf'];
const removeSharedListAfter = (t: ExecutionContext): void => {
  const left = netdataSharedList.filter((file) => !existsSync(file));
  t.teardown(() => {
    left.forEach((file) => rmSync(file, { force: true }));
  });
};

/** Starts the worker inside the cgroup: opens, writes, reads and deletes a file and forks, ten times a second, until killed. */
const startWorker = (t: ExecutionContext, cgroupDir: string): void => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-who-'));
  symlinkSync('/bin/sh', path.join(dir, group));
  const loop = 'while :; do echo data > f; read line < f; (:); rm -f f; sleep 0.1; done';
  const worker = execa('sh', ['-c', `echo $$ > '${path.join(cgroupDir, 'cgroup.procs')}' && cd '${dir}' && exec ./${group} -c '${loop}'`], {
    reject: false,
  });
  t.teardown(async () => {
    worker.kill('SIGKILL');
    await worker;
    rmSync(dir, { recursive: true, force: true });
  });
};

cgroupHostTest(
  "cgroups = yes, apps = yes: our cgroup.* and apps.* charts carry the test cgroup's and group's activity, " +
    "beside cgroups.plugin's and apps.plugin's",
  async (t, v2Root) => {
    t.timeout(240_000);
    startWorker(t, makeCgroup(t, v2Root));
    removeSharedListAfter(t);
    const agent = await startFor(t, {
      prepare,
      plugins: { apps: path.join(netdataPluginsDir, 'apps.plugin') },
      // Tables as large as they go: other work on a shared machine (hundreds of cgroups, a thousand program names)
      // must not fill them before the worker's cgroup and name are in.
      files: {
        'ebpf_process.conf': '[global]\n\tcgroups = yes\n\tcgroup table size = 65536\n\tapps = yes\n\tapps table size = 65536\n',
        'apps_groups.conf': `${group}: ${group}\n`,
      },
      config: {
        plugins: { cgroups: 'yes' },
        // 1.37 reads cgroup v1 on a hybrid host unless told where the v2 tree is. It names one cgroup at a time
        // (cgroup-name.sh, a second or two each), so it charts and names only the test's; it looks every second.
        'plugin:cgroups': {
          'use unified cgroups': 'yes',
          'path to unified cgroups': v2Root,
          'check for new cgroups every': '1',
          'enable by default cgroups matching': `/${cgroupName}`,
          'run script to rename cgroups matching': `/${cgroupName}`,
        },
      },
    });
    // Ours and Netdata's own collectors' charts for the cgroup and the group.
    const awaited: readonly (readonly [string, string?])[] = [
      [`${chartType}.file_open`],
      [`${chartType}.cpu`],
      [`${appChartType}.file_open`, group],
      ['apps.cpu', group],
    ];
    const charts = await waitFor(
      async () => {
        const response = await agent.api<ChartsResponse>('/api/v1/charts');
        return awaited.every(([id, dimension]) => response.charts[id] && (!dimension || response.charts[id]!.dimensions[dimension]))
          ? response
          : undefined;
      },
      async () => `the cgroup's and the group's charts never all appeared:\n${await agent.logTail()}`,
      120_000,
    );
    t.log(
      `charts of ${chartType}: ${Object.keys(charts.charts)
        .filter((id) => id.startsWith(`${chartType}.`))
        .join(' ')}`,
    );
    for (const id of [`${chartType}.file_open`, `${appChartType}.file_open`, `${chartType}.cpu`]) {
      const { title, context, family, chart_labels: labels, dimensions } = charts.charts[id]!;
      t.log(`${id}: ${JSON.stringify({ title, context, family, labels, dimensions: Object.keys(dimensions) })}`);
    }

    // (a) Ours, per cgroup: Netdata's ids and cgroup.* contexts, the cgroup_name label, the cgroup's activity.
    for (const chart of cgroupChartsForMode('entry')) {
      const id = `${chartType}.${chart.id}`;
      t.like(
        charts.charts[id],
        {
          context: `cgroup.${chart.context}`,
          family: chart.cgroup.family,
          units: chart.units,
          chart_labels: { cgroup_name: cgroupName, _collect_plugin: ours },
        },
        id,
      );
    }
    t.log(
      `peak rates: ${await waitForActivity(
        agent,
        busyCgroupCharts.map((id) => [`${chartType}.${id}`, dimensionOf(id)]),
      )}`,
    );

    // (b) Ours, per group: every apps.* chart of the mode has the group as a dimension, with the shell's activity.
    for (const chart of appChartsForMode('entry')) {
      const id = `${appChartType}.${chart.id}`;
      t.like(charts.charts[id], { context: id, family: chart.family, units: chart.units, chart_labels: { _collect_plugin: ours } }, id);
      t.truthy(charts.charts[id]?.dimensions[group], `${id} has the dimension ${group}`);
    }
    t.log(
      `peak rates: ${await waitForActivity(
        agent,
        busyGroupCharts.map((id) => [`${appChartType}.${id}`, group]),
      )}`,
    );

    // (c) Netdata's own beside them: cgroups.plugin's CPU chart of the same cgroup (the same chart type, context
    // cgroup.cpu) and apps.plugin's dimension of the same group, counting its one process.
    t.like(charts.charts[`${chartType}.cpu`], { context: 'cgroup.cpu', chart_labels: { _collect_plugin: 'cgroups.plugin' } });
    t.like(charts.charts['apps.cpu'], { chart_labels: { _collect_plugin: 'apps.plugin' } });
    t.log(`beside ours: ${charts.charts[`${chartType}.cpu`]?.title}; ${await waitForActivity(agent, [['apps.processes', group]])}`);
    t.log(
      `cgroups.plugin's list for eBPF collectors ` +
        `${existsSync(netdataSharedList[0]!) ? 'is shared: our names are read from it' : 'is not shared: our names come from paths'}`,
    );

    t.deepEqual((await agent.stop()).leftovers, []);
  },
);
