// SPDX-License-Identifier: GPL-3.0-or-later
// Where cgroup v2 is (unified, hybrid), or why per-cgroup charts cannot work (v1 only, no cgroupfs).
import test from 'ava';
import { parseCgroupMounts, cgroupSetup } from '../../src/cgroups/cgroup-discovery.js';

const line = (id: number, mountPoint: string, fsType: string, options = 'rw') =>
  `${id} 22 0:${id} / ${mountPoint} rw,relatime shared:${id} - ${fsType} ${fsType} ${options}`;

test('unified: cgroup2 at /sys/fs/cgroup', (t) => {
  const mounts = parseCgroupMounts([line(30, '/sys/fs/cgroup', 'cgroup2'), line(31, '/proc', 'proc')].join('\n'));
  t.deepEqual(cgroupSetup(mounts), { kind: 'v2', root: '/sys/fs/cgroup' });
});

test('hybrid: cgroup2 under /sys/fs/cgroup/unified beside v1 controllers; later bind mounts are ignored', (t) => {
  const mounts = parseCgroupMounts(
    [
      line(30, '/sys/fs/cgroup', 'tmpfs'),
      line(31, '/sys/fs/cgroup/cpu', 'cgroup', 'rw,cpu'),
      line(40, '/sys/fs/cgroup/unified', 'cgroup2'),
      line(58, '/chroot/sys/fs/cgroup/unified', 'cgroup2'),
    ].join('\n'),
  );
  t.deepEqual(mounts, { v2: '/sys/fs/cgroup/unified', v1: ['/sys/fs/cgroup/cpu'] });
  t.deepEqual(cgroupSetup(mounts), { kind: 'v2', root: '/sys/fs/cgroup/unified' });
});

test('escaped mount points are unescaped', (t) => {
  t.is(parseCgroupMounts(line(40, '/mnt/cgroup\\040two', 'cgroup2')).v2, '/mnt/cgroup two');
});

test('v1 only: the message names the cause, that host charts continue, and the fixes', (t) => {
  const setup = cgroupSetup(parseCgroupMounts(line(31, '/sys/fs/cgroup/memory', 'cgroup', 'rw,memory')));
  if (setup.kind !== 'v1-only') return void t.fail();
  t.regex(setup.problem, /only cgroup v1 is mounted \(\/sys\/fs\/cgroup\/memory\)/);
  t.regex(setup.problem, /host charts continue/);
  t.regex(setup.problem, /systemd\.unified_cgroup_hierarchy=1.*mount -t cgroup2.*cgroups = no/);
});

test('no cgroupfs: the message says so and how to fix it', (t) => {
  const setup = cgroupSetup(parseCgroupMounts(line(31, '/proc', 'proc')));
  if (setup.kind !== 'none') return void t.fail();
  t.regex(setup.problem, /no cgroup filesystem is mounted.*host charts continue.*Fix: mount cgroup2/);
});
