// SPDX-License-Identifier: GPL-3.0-or-later
// The slot cache with a full cgroup table: a task that found no slot caches that, and must get one once a removed
// cgroup's slot is given back (process.bpf.c, `cgroup_slots_returned`), not stay unkeyed for the rest of its life.
// Two long-lived shells of one unique name (the helper's --comm filter, so no other task on the host takes the
// table's one slot), each in a cgroup of its own, each reading its stdin a byte at a time (dash's `read`).
import test from 'ava';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CgroupDiscovery } from '../../../src/cgroups/cgroup-discovery.js';
import { sampleAfter, startHelper, type Sample } from '../../helpers/backend-process.js';
import { buildHelper } from './support/build.js';

const name = `cs${randomBytes(4).toString('hex')}`;
const lineBytes = 200;

const readsIn = (sample: Sample, cgroup: string): number | undefined =>
  (sample['read__cgroup'] as unknown as Record<string, number> | undefined)?.[cgroup];

test('a task that found the cgroup table full gets a slot once a removed cgroup gives one back', async (t) => {
  const helper = await buildHelper();
  const problems: string[] = [];
  const discovery = await CgroupDiscovery.open((problem) => problems.push(problem));
  if (!discovery) return t.fail(`no cgroup v2 mount: ${problems.join(' ')}`);
  const parent = mkdtempSync(path.join(discovery.root, 'ebpf-process-slot-returned-'));
  const [first, second] = ['a', 'b'].map((leaf) => path.join(parent, leaf)) as [string, string];
  for (const cgroup of [first, second]) mkdirSync(cgroup);
  const ids = { first: String(statSync(first).ino), second: String(statSync(second).ino) };
  const bin = mkdtempSync(path.join(tmpdir(), 'ebpf-process-slot-returned-'));
  const shell = path.join(bin, name);
  copyFileSync('/bin/dash', shell);
  const tracer = startHelper(helper, [
    '--interval-ms',
    '200',
    '--comm',
    name,
    '--per-cgroup',
    '1',
    '--counters',
    'read',
    'read_tp=syscalls:sys_enter_read',
    'add_cgroup_tp=cgroup:cgroup_mkdir',
    'forget_cgroup_tp=cgroup:cgroup_rmdir',
  ]);
  // A plain sh moves itself, then becomes the named shell: all of the named task's reads (its loader's too) are made
  // in its cgroup.
  const startReader = (cgroup: string) =>
    execa('sh', ['-c', `echo $$ > ${cgroup}/cgroup.procs && exec ${shell} -c 'while read line; do echo; done'`], {
      stdin: 'pipe',
      reject: false,
    });
  const readers: ReturnType<typeof startReader>[] = [];
  // Resolves once the shell has read the whole line: it answers each line with an empty one.
  const feed = (reader: ReturnType<typeof startReader>): Promise<void> =>
    new Promise((resolve) => {
      reader.stdout!.once('data', () => resolve());
      reader.stdin!.write(`${'x'.repeat(lineBytes - 1)}\n`);
    });
  try {
    await tracer.nextSample();
    const inFirst = startReader(first);
    readers.push(inFirst);
    await feed(inFirst);
    let sample = await sampleAfter(tracer);
    t.true((readsIn(sample, ids.first) ?? 0) >= lineBytes, `the first cgroup took the one slot: ${readsIn(sample, ids.first)} reads`);
    const inSecond = startReader(second);
    readers.push(inSecond);
    await feed(inSecond);
    sample = await sampleAfter(tracer);
    t.is(readsIn(sample, ids.second), undefined, 'the second cgroup found the table full');
    inFirst.stdin!.end();
    await inFirst;
    rmdirSync(first);
    // The helper gives the removed cgroup's slot back at its next report.
    await sampleAfter(tracer);
    await feed(inSecond);
    sample = await sampleAfter(tracer);
    t.true(
      (readsIn(sample, ids.second) ?? 0) >= lineBytes,
      `the second cgroup's task counted ${readsIn(sample, ids.second)} reads there after the slot came back, not ${lineBytes}`,
    );
  } finally {
    await tracer.stop();
    for (const reader of readers) reader.kill();
    await Promise.all(readers);
    rmSync(bin, { recursive: true, force: true });
    // cgroupfs directories go with rmdir only.
    for (const cgroup of [first, second]) if (existsSync(cgroup)) rmdirSync(cgroup);
    rmdirSync(parent);
  }
});
