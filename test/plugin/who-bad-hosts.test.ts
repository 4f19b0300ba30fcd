// SPDX-License-Identifier: GPL-3.0-or-later
// cgroups = yes on hosts that cannot give every per-cgroup chart, made for real in a private mount namespace:
// cgroup v1 only, no cgroupfs at all, and a Netdata cgroup list that cannot be used. Each is said once on stderr
// with its fix, and the host charts go on (and, with the list unusable, the cgroups are named from their paths).
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readCgroupMounts, cgroupSetup } from '../../src/cgroups/cgroup-discovery.js';
import { netdataCgroupListFile } from '../../src/cgroups/netdata-shm-list.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { serialTestUnless } from '../helpers/kernel-skips.js';
import { withTempDir } from '../helpers/temp-file.js';
import { startPlugin, waitFor } from '../reliability/support/plugin-process.js';

const setup = cgroupSetup(await readCgroupMounts());
const noV2 = setup.kind === 'v2' ? undefined : setup.problem;
const root = setup.kind === 'v2' ? setup.root : '';

// Runs the plugin in a mount namespace of its own, after `prepare` (shell) changed what is mounted there.
const namespaced = (prepare: string): string[] => [
  'unshare',
  '--mount',
  '--propagation',
  'private',
  'sh',
  '-c',
  `${prepare} && exec "$0" "$@"`,
];

// Every mount of these filesystem types, innermost first (bind mounts of them in chroots included).
const unmountAll = (types: string): string =>
  `awk -F ' - ' '{ split($1, a, " "); split($2, b, " "); if (b[1] ~ /^(${types})$/) ` +
  `print a[5] }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`;

const hostGoesOn = (stdout: string): boolean =>
  (replayProtocol(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).get('ebpf.file_descriptor')?.updates.length ?? 0) >= 3;

const badHost = (title: string, prepare: string, message: RegExp) =>
  serialTestUnless(noV2, title, async (t) => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'ebpf_process.conf');
      writeFileSync(config, '[global]\n  backend = helper\n  cgroups = yes\n');
      const plugin = startPlugin(['1', '--config', config], {}, namespaced(prepare));
      try {
        await waitFor(() => hostGoesOn(plugin.stdout()), `three host updates; stderr:\n${plugin.stderr()}`, 30_000);
        t.is(plugin.stderr().match(message)?.length, 1, plugin.stderr());
        t.regex(plugin.stderr(), /host charts continue.*Fix: /s);
        t.false(/^CHART cgroup_/m.test(plugin.stdout()), 'no per-cgroup chart without cgroup v2');
      } finally {
        plugin.child.kill('SIGTERM');
        await plugin.child;
      }
    });
  });

badHost('cgroup v1 only: said once with the fix, and the host charts go on', unmountAll('cgroup2'), /only cgroup v1 is mounted/g);
badHost('no cgroupfs: said once with the fix, and the host charts go on', unmountAll('cgroup2?'), /no cgroup filesystem is mounted/g);

serialTestUnless(
  noV2,
  'an unusable Netdata cgroup list: said once with the fix; cgroups are named from their paths, the host charts go on',
  async (t) => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'ebpf_process.conf');
      writeFileSync(config, '[global]\n  backend = helper\n  cgroups = yes\n');
      const name = `ebpf-test-${process.pid}-shm`;
      const cgroup = path.join(root, name);
      mkdirSync(cgroup);
      // A private /dev/shm whose list is a few bytes of nothing Netdata would write.
      const plugin = startPlugin(
        ['1', '--config', config],
        {},
        namespaced(`mount -t tmpfs tmpfs /dev/shm && printf 'not a cgroup list' > ${netdataCgroupListFile}`),
      );
      try {
        await waitFor(() => hostGoesOn(plugin.stdout()), `three host updates; stderr:\n${plugin.stderr()}`, 30_000);
        t.is(plugin.stderr().match(/Netdata's cgroup list \S+ is not in the layout this plugin reads/g)?.length, 1, plugin.stderr());
        t.regex(plugin.stderr(), /cgroups are named from their paths instead\. Fix: /);
        await waitFor(
          () => plugin.stdout().includes(`CHART cgroup_${name}.file_open `),
          "the cgroup's charts, named from its path",
          10_000,
        );
        t.regex(plugin.stdout(), new RegExp(`^CHART cgroup_${name}\\.file_open .* 'cgroup\\.fd_open' `, 'm'));
      } finally {
        plugin.child.kill('SIGTERM');
        await plugin.child;
        rmdirSync(cgroup);
      }
    });
  },
);
