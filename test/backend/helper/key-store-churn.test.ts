// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's two key stores (process.bpf.c: slots cached in task local storage, or per-CPU hashes) side by side
// through a churn of cgroups made, used and removed one after another, the processes all named alike: both
// count every cgroup and the name exactly alike, a removed cgroup leaves both tables, and a slot freed by one
// cgroup and given to the next starts at zero (the free slots are a stack: the next cgroup gets the one just
// freed). With the hashes, no task storage map is made at all.
import test from 'ava';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CgroupDiscovery } from '../../../src/cgroups/cgroup-discovery.js';
import { sampleAfter, startHelper, type Sample } from '../../helpers/backend-process.js';
import { buildHelper } from './support/build.js';

const cycles = 6;
const reads = 5000;
// dd under a name of its own (a task's name is its binary's), the same in every cycle: its slot is reused.
const name = `ks${randomBytes(4).toString('hex')}`;

const keyed = (sample: Sample, map: string): Record<string, number> => (sample[map] as unknown as Record<string, number> | undefined) ?? {};

const runIn = async (cgroup: string, dd: string): Promise<void> => {
  await execa('sh', ['-c', `echo $$ > ${cgroup}/cgroup.procs && exec ${dd} if=/dev/zero of=/dev/null bs=1 count=${reads} status=none`]);
};

// cgroupfs directories go with rmdir only, children first.
const removeCgroups = (parent: string): void => {
  for (let cycle = 0; cycle < cycles; cycle++) if (existsSync(path.join(parent, `c${cycle}`))) rmdirSync(path.join(parent, `c${cycle}`));
  rmdirSync(parent);
};

// BPF_MAP_TYPE_TASK_STORAGE, as /proc/<pid>/fdinfo/<fd> of a map names its type.
const taskStorageType = 29;
const mapTypesHeld = (pid: number): number[] =>
  readdirSync(`/proc/${pid}/fdinfo`).flatMap((fd) => {
    const type = /^map_type:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
    return type === undefined ? [] : [Number(type)];
  });

test('slots and hashes count a churn of cgroups and a reused name alike, and a removed cgroup leaves both tables', async (t) => {
  const helper = await buildHelper();
  const common = [
    '--interval-ms',
    '200',
    '--per-cgroup',
    '1000',
    '--per-comm',
    '1024',
    '--counters',
    'read',
    'read_tp=syscalls:sys_enter_read',
    'add_cgroup_tp=cgroup:cgroup_mkdir',
    'forget_cgroup_tp=cgroup:cgroup_rmdir',
  ];
  const stores = { slots: startHelper(helper, common), hashes: startHelper(helper, ['--hash-keys', ...common]) };
  // The hashes need no task storage map, and do not make one: a kernel without that map type (5.10) refused the
  // whole load when it was made anyway.
  await Promise.all(Object.values(stores).map((store) => store.nextSample()));
  t.true(mapTypesHeld(stores.slots.child.pid!).includes(taskStorageType), 'the slots store holds no task storage map');
  t.false(mapTypesHeld(stores.hashes.child.pid!).includes(taskStorageType), '--hash-keys made a task storage map');
  const problems: string[] = [];
  const discovery = await CgroupDiscovery.open((problem) => problems.push(problem));
  if (!discovery) return t.fail(`no cgroup v2 mount: ${problems.join(' ')}`);
  const parent = mkdtempSync(path.join(discovery.root, 'ebpf-process-key-store-'));
  const bin = mkdtempSync(path.join(tmpdir(), 'ebpf-process-key-store-'));
  const dd = path.join(bin, name);
  copyFileSync('/usr/bin/dd', dd);
  try {
    await Promise.all(Object.values(stores).map((store) => store.nextSample()));
    for (let cycle = 0; cycle < cycles; cycle++) {
      const cgroup = path.join(parent, `c${cycle}`);
      mkdirSync(cgroup);
      const id = String(statSync(cgroup).ino);
      await runIn(cgroup, dd);
      const [slots, hashes] = await Promise.all([sampleAfter(stores.slots), sampleAfter(stores.hashes)]);
      const counted = { slots: keyed(slots, 'read__cgroup')[id], hashes: keyed(hashes, 'read__cgroup')[id] };
      t.true(
        (counted.hashes ?? 0) >= reads,
        `cycle ${cycle}: the hashes counted ${counted.hashes} reads in cgroup ${id}, not the ${reads} dd made at least`,
      );
      t.is(counted.slots, counted.hashes, `cycle ${cycle}: cgroup ${id}, slots against hashes (a slot reused without zeroing counts more)`);
      rmdirSync(cgroup);
      // The slot store frees a removed cgroup's slot at its next report; two reports later it is gone from both.
      const after = await Promise.all([sampleAfter(stores.slots), sampleAfter(stores.hashes)]);
      t.deepEqual(
        after.map((sample) => keyed(sample, 'read__cgroup')[id]),
        [undefined, undefined],
        `cycle ${cycle}: removed cgroup ${id} still listed`,
      );
    }
    const [slots, hashes] = await Promise.all([sampleAfter(stores.slots), sampleAfter(stores.hashes)]);
    const byName = { slots: keyed(slots, 'read__comm')[name], hashes: keyed(hashes, 'read__comm')[name] };
    t.true(
      (byName.hashes ?? 0) >= cycles * reads,
      `the name ${name}: ${byName.hashes} reads in the hashes, not the ${cycles * reads} made at least`,
    );
    t.is(byName.slots, byName.hashes, `the name ${name}: slots against hashes`);
  } finally {
    await Promise.all(Object.values(stores).map((store) => store.stop()));
    removeCgroups(parent);
    rmSync(bin, { recursive: true, force: true });
  }
});
