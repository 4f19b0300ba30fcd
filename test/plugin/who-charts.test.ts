// SPDX-License-Identifier: GPL-3.0-or-later
// cgroups = yes and apps = yes with the real plugin and each backend: a cgroup made after the start gets its charts
// within an update, before any event of its own, and carries its own activity; a removed one gets its charts marked
// obsolete within an update; a full table
// is said once and counted on ebpf.plugin_health; the apps charts get the activity's group.
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { readCgroupMounts, cgroupSetup } from '../../src/cgroups/cgroup-discovery.js';
import { withTempDir } from '../helpers/temp-file.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { serialTestUnless } from '../helpers/kernel-skips.js';
import { startPlugin, waitFor } from '../reliability/support/plugin-process.js';

const setup = cgroupSetup(await readCgroupMounts());
const noV2 = setup.kind === 'v2' ? undefined : setup.problem;
const root = setup.kind === 'v2' ? setup.root : '';

// A process that joins the cgroup, then opens and reads: what the cgroup's charts must show.
const activityIn = (cgroup: string): Promise<unknown> =>
  execa('sh', [
    '-c',
    `echo $$ > ${path.join(cgroup, 'cgroup.procs')} && for i in 1 2 3 4 5 6 7 8 9 10; do cat /etc/hostname >/dev/null; done`,
  ]);

// Data blocks the plugin wrote between two points of its output: how many updates something took.
const updatesBetween = (stdout: string, from: number, to: number): number =>
  stdout.slice(from, to).split('BEGIN ebpf.file_descriptor').length - 1;

const lastValue = (stdout: string, chart: string, dimension: string): bigint | undefined =>
  replayProtocol(stdout.slice(0, stdout.lastIndexOf('\n') + 1))
    .get(chart)
    ?.updates.at(-1)
    ?.values.get(dimension);

for (const backend of ['bpftrace', 'helper'] as const) {
  serialTestUnless(noV2, `${backend}: a cgroup made after the start is charted with its activity, and obsolete once removed`, async (t) => {
    await withTempDir(async (dir) => {
      const name = `ebpf-test-${process.pid}-${backend}`;
      const cgroup = path.join(root, name);
      const config = path.join(dir, 'ebpf_process.conf');
      writeFileSync(config, `[global]\n  backend = ${backend}\n  cgroups = yes\n  apps = yes\n`);
      const plugin = startPlugin(['1', '--config', config]);
      try {
        await waitFor(() => plugin.stdout().includes('BEGIN ebpf.file_descriptor'), 'the first data block');
        const madeAt = plugin.stdout().length;
        mkdirSync(cgroup);
        await waitFor(() => plugin.stdout().includes(`CHART cgroup_${name}.file_open `), "the new cgroup's charts", 15_000);
        // The kernel says a cgroup was made (cgroup:cgroup_mkdir): its charts come with the sample after it, or the
        // one after that when a sample was already on its way.
        t.true(
          updatesBetween(plugin.stdout(), madeAt, plugin.stdout().indexOf(`CHART cgroup_${name}.file_open `)) <= 2,
          'charted within an update',
        );
        await activityIn(cgroup);
        await waitFor(
          () => (lastValue(plugin.stdout(), `cgroup_${name}.file_open`, 'do_sys_open') ?? 0n) >= 10n,
          "the cgroup's opens",
          10_000,
        );
        // The shell's own opens (cgroup.procs, its libraries) come on top of cat's ten.
        t.true(
          (lastValue(plugin.stdout(), `cgroup_${name}.file_open`, 'do_sys_open') ?? 0n) >= 10n,
          "the cgroup's chart carries its opens",
        );
        const charts = replayProtocol(plugin.stdout());
        t.is(charts.get(`cgroup_${name}.file_open`)?.labels.get('cgroup_name'), name);
        t.true([...(charts.get('apps.file_open')?.dimensions.keys() ?? [])].length > 0, 'the apps charts have their groups');
        const removedAt = plugin.stdout().length;
        rmdirSync(cgroup);
        const obsolete = new RegExp(`^CHART cgroup_${name}\\.file_open .* obsolete`, 'm');
        await waitFor(() => obsolete.test(plugin.stdout()), 'obsolete charts', 10_000);
        t.true(updatesBetween(plugin.stdout(), removedAt, plugin.stdout().search(obsolete)) <= 2, 'obsolete within an update');
      } finally {
        plugin.child.kill('SIGTERM');
        await plugin.child;
        try {
          rmdirSync(cgroup);
        } catch {
          /* removed by the test */
        }
      }
    });
  });
}

// No systemd here: the test makes the cgroup a unit would have, /system.slice/<name>.service, as systemd does.
for (const backend of ['bpftrace', 'helper'] as const) {
  serialTestUnless(
    noV2,
    `${backend}: a systemd service is a dimension of the services charts, with its activity, until it stops`,
    async (t) => {
      await withTempDir(async (dir) => {
        const name = `ebpf-test-${process.pid}-${backend}`;
        const slice = path.join(root, 'system.slice');
        const madeSlice = !existsSync(slice);
        const service = path.join(slice, `${name}.service`);
        const config = path.join(dir, 'ebpf_process.conf');
        writeFileSync(config, `[global]\n  backend = ${backend}\n  cgroups = yes\n`);
        const plugin = startPlugin(['1', '--config', config]);
        try {
          await waitFor(() => plugin.stdout().includes('BEGIN ebpf.file_descriptor'), 'the first data block');
          if (madeSlice) mkdirSync(slice);
          mkdirSync(service);
          const dimension = `systemd_${name}`;
          const opens = (): bigint => lastValue(plugin.stdout(), 'services.file_open', dimension) ?? 0n;
          await waitFor(() => new RegExp(`^DIMENSION '?${dimension}'? `, 'm').test(plugin.stdout()), "the service's dimension", 15_000);
          t.is(
            replayProtocol(plugin.stdout()).get('services.file_open')?.dimensions.get(dimension)?.[1],
            name,
            'named as Netdata names the unit',
          );
          t.false(plugin.stdout().includes(`cgroup_${name}`), 'a service has no charts of its own');
          await activityIn(service);
          await waitFor(() => opens() >= 10n, "the service's opens", 10_000);
          rmdirSync(service);
          // Its dimension is sent once more as obsolete; or, when it was the only service, the services charts are.
          const gone = (): boolean => {
            const chart = replayProtocol(plugin.stdout()).get('services.file_open');
            return Boolean(chart?.dimensions.get(dimension)?.includes('obsolete') || chart?.words.includes('obsolete'));
          };
          await waitFor(gone, "the stopped service's dimension or charts obsolete", 10_000);
        } finally {
          plugin.child.kill('SIGTERM');
          await plugin.child;
          for (const made of [service, ...(madeSlice ? [slice] : [])])
            try {
              rmdirSync(made);
            } catch {
              /* removed by the test */
            }
        }
      });
    },
  );
}

serialTestUnless(noV2, 'a full cgroup table is said once on stderr and counted on ebpf.plugin_health; the host charts go on', async (t) => {
  await withTempDir(async (dir) => {
    const cgroups = [1, 2, 3].map((index) => path.join(root, `ebpf-test-${process.pid}-full-${index}`));
    const config = path.join(dir, 'ebpf_process.conf');
    writeFileSync(config, '[global]\n  backend = helper\n  cgroups = yes\n  cgroup table size = 1\n');
    cgroups.forEach((cgroup) => mkdirSync(cgroup));
    const plugin = startPlugin(['1', '--config', config]);
    try {
      await waitFor(() => plugin.stdout().split('BEGIN ebpf.file_descriptor').length > 3, 'three data blocks');
      t.is(plugin.stderr().match(/cgroup table size = 1 is full/g)?.length, 1, plugin.stderr());
      t.true((lastValue(plugin.stdout(), 'ebpf.plugin_health', 'cgroups_over_table') ?? 0n) >= 2n);
      t.true((lastValue(plugin.stdout(), 'ebpf.io', 'read') ?? 0n) > 0n, 'the host charts go on');
    } finally {
      plugin.child.kill('SIGTERM');
      await plugin.child;
      cgroups.forEach((cgroup) => rmdirSync(cgroup));
    }
  });
});

// bpftrace's tables hold at least its default 4096 keys whatever the setting (one bound for all its maps): more names
// than that fill it. The helper's holds what the setting says.
for (const [backend, names] of [
  ['helper', 40],
  ['bpftrace', 4300],
] as const) {
  serialTestUnless(noV2, `${backend}: a full apps table is said once on stderr and its events counted on ebpf.plugin_health`, async (t) => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'ebpf_process.conf');
      writeFileSync(config, `[global]\n  backend = ${backend}\n  apps = yes\n  apps table size = 16\n`);
      // Names of its own that match the renamed shell's every name: with the stock file the helper counts a task whose
      // name matches none under its parent's when that one matches (docs/apps.md), and the table would not fill.
      writeFileSync(path.join(dir, 'apps_groups.conf'), 'renamed: n* m*\n');
      const plugin = startPlugin(['1', '--config', config], { NETDATA_USER_CONFIG_DIR: dir });
      try {
        await waitFor(() => plugin.stdout().includes('BEGIN ebpf.file_descriptor'), 'the first data block');
        // A shell that takes a new name before each write: open, write and close of /proc/self/comm under it.
        await execa('sh', ['-c', `for i in $(seq 1 ${names}); do printf n$i > /proc/self/comm; done`]);
        const overTable = (): bigint => lastValue(plugin.stdout(), 'ebpf.plugin_health', 'events_over_apps_table') ?? 0n;
        await waitFor(() => overTable() > 0n, 'events over the apps table on ebpf.plugin_health', 15_000);
        await execa('sh', ['-c', `for i in $(seq 1 ${names}); do printf m$i > /proc/self/comm; done`]);
        const before = overTable();
        await waitFor(() => overTable() > before, 'more events over the apps table after a second round of names', 15_000);
        t.is(plugin.stderr().match(/apps table size = 16 is full/g)?.length, 1, plugin.stderr());
        t.regex(plugin.stderr(), /raise apps table size in ebpf_process\.conf/);
      } finally {
        plugin.child.kill('SIGTERM');
        await plugin.child;
      }
    });
  });
}
