// SPDX-License-Identifier: GPL-3.0-or-later
// dry-run and script from the CLI: on this host, and for recorded hosts with --facts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { appChartsForMode } from '../../src/charts/app-charts.js';
import { chartsForMode, pluginHealthChart, selfCostCharts } from '../../src/charts/catalogue.js';
import { cgroupChartsForMode } from '../../src/charts/cgroup-charts.js';
import { keyMeaning } from '../../src/plan/counter-keys.js';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { cgroupHostTest } from '../helpers/kernel-skips.js';
import { cli, repoRoot } from '../helpers/run-plugin.js';
import { hostScripts } from '../backend/bpftrace/golden-scripts.js';

const fixture = (name: string) => path.join(repoRoot, 'test/fixtures/kernels', `${name}.json`);

test('dry-run --json on this host shows only tracepoints, with the reasons for each fallback', async (t) => {
  const { stdout } = await execa(cli, ['dry-run', '--json', '--mode', 'return']);
  const report = JSON.parse(stdout);
  t.is(report.mode, 'return');
  // Every chart the plugin draws: the mode's event charts, then its health chart, counted by the plugin.
  t.deepEqual(
    report.charts.map((chart: { id: string }) => chart.id),
    [...chartsForMode('return'), pluginHealthChart].map((chart) => `ebpf.${chart.id}`),
  );
  const health = report.charts.at(-1);
  t.deepEqual(
    health.dimensions.map((dimension: { id: string; countedBy: string }) => [dimension.id, dimension.countedBy]),
    pluginHealthChart.dimensions.map((dimension) => [dimension.id, 'plugin']),
  );
  const probes: string[] = report.charts
    .slice(0, -1)
    .flatMap((chart: { dimensions: Array<{ probes: string[] }> }) => chart.dimensions.flatMap((dimension) => dimension.probes));
  t.true(probes.length > 20);
  t.true(
    probes.every((probe) => probe.startsWith('tracepoint:')),
    probes.join(' '),
  );
  const open = report.plan.find((probe: { probe: string }) => probe.probe === 'open');
  t.deepEqual(
    open.rejected.map((rejection: { family: string }) => rejection.family),
    ['trampoline', 'probe'],
  );
  t.regex(open.rejected[1].reason, /kprobes/);
});

test('dry-run with self monitoring on lists its three charts after the health chart, counted by the plugin', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-dry-run-'));
  try {
    const config = path.join(dir, 'ebpf_process.conf');
    writeFileSync(config, '[global]\n    max kernel cpu = 5\n');
    const report = JSON.parse((await execa(cli, ['dry-run', '--json', '--config', config])).stdout);
    const plugin = report.charts.filter((chart: { dimensions: Array<{ countedBy?: string }> }) =>
      chart.dimensions.every((dimension) => dimension.countedBy === 'plugin'),
    );
    t.deepEqual(
      plugin.map((chart: { id: string }) => chart.id),
      [pluginHealthChart, ...selfCostCharts].map((chart) => `ebpf.${chart.id}`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

cgroupHostTest(
  'dry-run with cgroups and apps on lists cgroup_<name>.* for a cgroup made for the test, apps.* with the groups, and the key tables',
  async (t, v2Root) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-dry-run-'));
    const cgroupName = `ebpf-process-dry-run-${process.pid}`;
    mkdirSync(path.join(v2Root, cgroupName));
    try {
      const config = path.join(dir, 'ebpf_process.conf');
      writeFileSync(config, '[global]\n    cgroups = yes\n    cgroup table size = 65536\n    apps = yes\n    ebpf load mode = return\n');
      writeFileSync(path.join(dir, 'apps_groups.conf'), 'editors: vim* nano\n');
      const run = async (json: boolean) =>
        execa(cli, ['dry-run', ...(json ? ['--json'] : []), '--config', config], { env: { NETDATA_USER_CONFIG_DIR: dir } });
      const { who, backend } = JSON.parse((await run(true)).stdout);
      // bpftrace bounds all its maps at once, by the largest table: the name table then holds as many as the cgroup one.
      const held = backend === 'bpftrace' ? { heldInKernel: 65536 } : {};
      t.deepEqual(who.keyTables, [
        { key: 'cgroup', entries: 65536, meaning: keyMeaning.cgroup },
        { key: 'comm', entries: 1024, meaning: keyMeaning.comm, ...held },
      ]);
      t.deepEqual(
        who.charts.find((entry: { pattern: string }) => entry.pattern === `cgroup_${cgroupName}.*`),
        {
          pattern: `cgroup_${cgroupName}.*`,
          context: 'cgroup.*',
          charts: cgroupChartsForMode('return').map((chart) => chart.id),
          cgroupPath: `/${cgroupName}`,
        },
      );
      t.deepEqual(who.charts.at(-1), {
        pattern: 'apps.*',
        context: 'apps.*',
        charts: appChartsForMode('return').map((chart) => chart.id),
        dimensions: ['editors', 'other'],
        groupsFile: path.join(dir, 'apps_groups.conf'),
      });
      const text = (await run(false)).stdout;
      t.regex(text, new RegExp(`^cgroup_${cgroupName}\\.\\*  cgroup\\.\\*, cgroup /${cgroupName}$`, 'm'));
      t.regex(
        text,
        new RegExp(
          String.raw`^apps\.\* {2}apps\.\*, groups from .*apps_groups\.conf\n` +
            String.raw` {2}file_open file_open_error .*\n( {2}\S.*\n)* {2}dimensions: editors other$`,
          'm',
        ),
      );
      t.regex(text, /^ {2}cgroup +65536 entries: /m);
      if (backend === 'bpftrace') t.regex(text, /^ {2}comm +1024 entries \(bpftrace holds 65536: one bound for all its maps\): /m);
    } finally {
      rmdirSync(path.join(v2Root, cgroupName));
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('dry-run --facts plans for another host: kprobes on Ubuntu 22.04 with --probe-type probe', async (t) => {
  const { stdout } = await execa(cli, ['dry-run', '--json', '--facts', fixture('ubuntu-22.04-5.15'), '--probe-type', 'probe']);
  const report = JSON.parse(stdout);
  const attachPoints = (probe: string) => report.plan.find((entry: { probe: string }) => entry.probe === probe).attachPoints;
  t.deepEqual(attachPoints('open'), ['kprobe:do_sys_openat2']);
  t.deepEqual(attachPoints('close'), ['kprobe:close_fd']);
  t.is(report.kernel, '5.15.0-124-generic');
});

test('script --facts reproduces the golden script for that host', async (t) => {
  const { stdout } = await execa(cli, ['script', '--facts', fixture('host-6.18'), '--probe-type', 'tracepoint', '--mode', 'return']);
  t.is(`${stdout}\n`, readFileSync(path.join(repoRoot, 'scripts-bt/tracepoint-return-host-6.18-bpftrace-0.17.bt'), 'utf8'));
});

test('script --facts reproduces the golden script of every recorded host, in both modes', async (t) => {
  for (const golden of hostScripts) {
    const { stdout } = await execa(cli, ['script', '--facts', fixture(golden.fixture), '--mode', golden.mode]);
    t.is(`${stdout}\n`, readFileSync(golden.file, 'utf8'), path.basename(golden.file));
  }
});

test('a facts file that is not JSON gets a message naming how to make one', async (t) => {
  const result = await execa(cli, ['dry-run', '--facts', path.join(repoRoot, 'package.json'), '--json'], { reject: false });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /facts file .*package\.json: (release|arch|kprobes)/);
});

test('bad flag values are usage errors that say what is accepted', async (t) => {
  for (const [flag, value, accepted] of [
    ['--mode', 'exit', /entry or return/],
    ['--probe-type', 'uprobe', /auto, trampoline, probe or tracepoint/],
    ['--pid', '12;system("id")', /process id/],
    ['--comm', 'a"b', /command name/],
    ['--backend', 'bcc', /auto, bpftrace or helper/],
  ] as const) {
    const result = await execa(cli, ['dry-run', flag, value], { reject: false });
    t.not(result.exitCode, 0);
    t.regex(result.stderr, accepted);
    t.notRegex(result.stderr, /at .*\.js:\d+/, 'no stack trace');
  }
});

test('check --json prints facts that --facts accepts', async (t) => {
  const { stdout } = await execa(cli, ['check', '--json']);
  const facts = JSON.parse(stdout);
  t.is(facts.kprobes, false);
  t.true(facts.tracepoints.includes('syscalls:sys_enter_openat'));
});
