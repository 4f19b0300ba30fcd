// SPDX-License-Identifier: GPL-3.0-or-later
// Where cgroup v2 is (unified, hybrid), or why per-cgroup charts cannot work (v1 only, no cgroupfs); the walk of a tree.
import test from 'ava';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCgroupMounts, cgroupSetup, walkCgroups } from '../../src/cgroups/cgroup-discovery.js';

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

test('the walk finds every directory of a tree with its inode as id, across its slices, and no file', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'ebpf-process-walk-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  // 1 + 30 + 30 * 8 = 271 directories: the walk lets the event loop run every 100.
  const expected = ['/'];
  for (let slice = 0; slice < 30; slice++) {
    expected.push(`/s${slice}.slice`);
    for (let unit = 0; unit < 8; unit++) expected.push(`/s${slice}.slice/u${unit}.scope`);
  }
  for (const each of expected) mkdirSync(path.join(root, each), { recursive: true });
  writeFileSync(path.join(root, 's0.slice', 'cgroup.procs'), '');
  // Turns of the event loop during the walk: one per slice at least, so a sample is never held up for a whole walk.
  let turns = 0;
  let walking = true;
  const count = (): void => {
    turns += 1;
    if (walking) setImmediate(count);
  };
  setImmediate(count);
  const found = await walkCgroups(root);
  walking = false;
  t.deepEqual(found.map((each) => each.path).sort(), [...expected].sort());
  for (const each of found) t.is(each.id, statSync(path.join(root, each.path), { bigint: true }).ino, each.path);
  t.true(turns >= 2, `the loop turned ${turns} times during a walk of three slices`);
});
