// SPDX-License-Identifier: GPL-3.0-or-later
// This machine's real cgroup v2 tree: its mount, cgroups made for the test found with their inode ids (the id
// bpftrace's `cgroup` reports for a task inside), their names with and without Netdata's shared list, and the
// registry seeing them come and go. Needs root (making cgroups); skipped otherwise.
import { copyFileSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CgroupDiscovery, walkCgroups } from '../../src/cgroups/cgroup-discovery.js';
import { CgroupRegistry } from '../../src/cgroups/cgroup-registry.js';
import { netdataSimpleHash } from '../../src/cgroups/netdata-names.js';
import { serialTestUnless } from '../helpers/kernel-skips.js';
import { withTempFile } from '../helpers/temp-file.js';

const cgroup2Magic = 0x63677270;
// Read before any test is declared (ava takes only tests declared at once).
const notRoot = process.getuid?.() === 0 ? undefined : 'not root: making a test cgroup needs root';
const noBpftrace =
  (await execa('sh', ['-c', 'command -v bpftrace'], { reject: false })).exitCode === 0 ? undefined : 'bpftrace is not installed';

const withTestCgroup = async (run: (discovery: CgroupDiscovery, relative: string) => Promise<void>) => {
  const logged: string[] = [];
  const discovery = await CgroupDiscovery.open((message) => logged.push(message));
  if (!discovery) throw new Error(`no cgroup v2 here: ${logged.join('; ')}`);
  const relative = `/ebpf-process test ${process.pid}`;
  mkdirSync(path.join(discovery.root, relative, 'child'), { recursive: true });
  try {
    await run(discovery, relative);
  } finally {
    rmdirSync(path.join(discovery.root, relative, 'child'));
    rmdirSync(path.join(discovery.root, relative));
  }
};

serialTestUnless(notRoot, "the v2 mount is found, and cgroups under it have their directory's inode as id", (t) =>
  withTestCgroup(async (discovery, relative) => {
    t.is(statfsSync(discovery.root).type, cgroup2Magic);
    const found = await walkCgroups(discovery.root);
    t.deepEqual(
      found.find((each) => each.path === '/'),
      { id: statSync(discovery.root, { bigint: true }).ino, path: '/' },
    );
    for (const each of [relative, `${relative}/child`]) {
      t.deepEqual(
        found.find((cgroup) => cgroup.path === each),
        { id: statSync(path.join(discovery.root, each), { bigint: true }).ino, path: each },
      );
    }
  }),
);

serialTestUnless(notRoot ?? noBpftrace, "bpftrace's `cgroup` for a task in a test cgroup is that cgroup's id", (t) =>
  withTestCgroup(async (discovery, relative) => {
    const comm = `cgid${process.pid}`.slice(0, 15);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-cgid-'));
    try {
      copyFileSync('/bin/sleep', path.join(dir, comm));
      const tracer = execa(
        'bpftrace',
        ['-e', `tracepoint:syscalls:sys_enter_clock_nanosleep /comm == "${comm}"/ { printf("%llu\\n", cgroup); exit(); }`],
        { reject: false, timeout: 60_000 },
      );
      // Start the task only once the probe is attached, then keep it sleeping in the cgroup until it is seen.
      let printed = '';
      await new Promise<void>((resolve) =>
        tracer.stdout!.on('data', (chunk: Buffer) => {
          printed += String(chunk);
          if (printed.includes('Attaching')) resolve();
        }),
      );
      const procs = path.join(discovery.root, relative, 'cgroup.procs');
      const task = execa('sh', ['-c', `echo $$ > '${procs}' && exec '${path.join(dir, comm)}' 30`], { reject: false });
      await tracer;
      task.kill();
      await task;
      t.is(BigInt(printed.trim().split('\n').at(-1)!), (await walkCgroups(discovery.root)).find((each) => each.path === relative)!.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }),
);

serialTestUnless(
  notRoot,
  "cgroups are named from their paths, or by Netdata's list when there is one, and the registry sees them come and go",
  (t) =>
    withTestCgroup(async (discovery, relative) => {
      const registry = new CgroupRegistry(100_000);
      registry.refresh(await discovery.scan());
      const named = registry.followed.find((each) => each.path === relative);
      t.like(named, { kind: 'cgroup', name: `ebpf-process_test_${process.pid}`, charted: true });
      // A one-record list, as cgroups.plugin would share it for this cgroup.
      const list = Buffer.alloc(24 + 4368);
      list.writeInt32LE(1, 0);
      list.writeInt32LE(1, 4);
      list.writeBigUInt64LE(BigInt(list.length), 16);
      list.write('cgroup_netdata-name', 24);
      list.writeUInt32LE(netdataSimpleHash('cgroup_netdata-name'), 24 + 256);
      list.writeInt32LE(1, 24 + 264);
      list.write(`${discovery.root}${relative}/cgroup.procs`, 24 + 268);
      await withTempFile('list', list, async (file) => {
        const withList = await CgroupDiscovery.open(() => t.fail('no problem expected'), { netdataList: file });
        t.like(
          (await withList!.scan()).find((each) => each.path === relative),
          { name: 'netdata-name', charted: true },
        );
      });
      rmdirSync(path.join(discovery.root, relative, 'child'));
      rmdirSync(path.join(discovery.root, relative));
      const after = registry.refresh(await discovery.scan());
      t.deepEqual(after.gone.map((each) => each.path).sort(), [relative, `${relative}/child`]);
      mkdirSync(path.join(discovery.root, relative, 'child'), { recursive: true });
    }),
);

serialTestUnless(notRoot, 'an unusable shared list is reported once, and names come from paths', (t) =>
  withTestCgroup((_, relative) =>
    withTempFile('list', Buffer.alloc(5), async (file) => {
      const logged: string[] = [];
      const discovery = await CgroupDiscovery.open((message) => logged.push(message), { netdataList: file });
      await discovery!.scan();
      const named = await discovery!.scan();
      t.is(logged.length, 1);
      t.regex(logged[0]!, /cgroup list .* is not in the layout/);
      t.like(
        named.find((each) => each.path === relative),
        { name: `ebpf-process_test_${process.pid}` },
      );
    }),
  ),
);
