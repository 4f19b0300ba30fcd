// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's shared cgroup list, written here byte by byte as cgroups.plugin lays it out on 64-bit Linux
// (sys_fs_cgroup.h), read back; and the one clear message for a segment that cannot be used.
import test from 'ava';
import { type CgroupMounts, nameCgroups } from '../../src/cgroups/cgroup-discovery.js';
import { netdataSimpleHash } from '../../src/cgroups/netdata-names.js';
import { readShmCgroupList } from '../../src/cgroups/netdata-shm-list.js';
import { withTempFile } from '../helpers/temp-file.js';

interface Entry {
  name: string;
  options: number;
  enabled: boolean;
  procsPath: string;
  hash?: number;
}

// struct { int count, max, systemd_enabled, pad; size_t body_length } then max x
// struct { char name[256]; uint32_t hash, options; int enabled; char path[4097]; } (4368 bytes with padding).
const recordBytes = 4368;
const segment = (
  entries: readonly Entry[],
  { max = 4, systemdEnabled = 1, bodyLength }: { max?: number; systemdEnabled?: number; bodyLength?: number } = {},
): Buffer => {
  const bytes = Buffer.alloc(24 + Math.max(max, entries.length) * recordBytes);
  bytes.writeInt32LE(entries.length, 0);
  bytes.writeInt32LE(max, 4);
  bytes.writeInt32LE(systemdEnabled, 8);
  bytes.writeBigUInt64LE(BigInt(bodyLength ?? bytes.length), 16);
  entries.forEach((entry, index) => {
    const at = 24 + index * recordBytes;
    bytes.write(entry.name, at, 'utf8');
    bytes.writeUInt32LE(entry.hash ?? netdataSimpleHash(entry.name), at + 256);
    bytes.writeUInt32LE(entry.options, at + 260);
    bytes.writeInt32LE(entry.enabled ? 1 : 0, at + 264);
    bytes.write(entry.procsPath, at + 268, 'utf8');
  });
  return bytes;
};

const withSegment = (bytes: Buffer, run: (file: string) => Promise<void>) => withTempFile('netdata_shm_cgroup_ebpf', bytes, run);

const hybrid: CgroupMounts = { v2: '/sys/fs/cgroup/unified', v1: ['/sys/fs/cgroup/cpuset', '/sys/fs/cgroup/memory'] };
const entries: Entry[] = [
  { name: 'systemd_nginx', options: 2 | 4, enabled: true, procsPath: '/sys/fs/cgroup/unified/system.slice/nginx.service/cgroup.procs' },
  { name: 'cgroup_web', options: 4, enabled: true, procsPath: '/sys/fs/cgroup/cpuset/system.slice/docker-abc.scope/cgroup.procs' },
  { name: 'cgroup_user-slice', options: 0, enabled: false, procsPath: '/sys/fs/cgroup/unified/user.slice/cgroup.procs' },
];

test("records are read in Netdata's layout, and name the cgroups found at their paths, under v2 or a v1 mount", (t) =>
  withSegment(segment(entries), async (file) => {
    const result = await readShmCgroupList(file);
    if (result.kind !== 'list') return void t.fail(JSON.stringify(result));
    t.true(result.list.systemdEnabled);
    t.deepEqual(
      result.list.records.map((record) => record.name),
      ['systemd_nginx', 'cgroup_web', 'cgroup_user-slice'],
    );
    const named = nameCgroups(
      [
        { id: 10n, path: '/system.slice/nginx.service' },
        { id: 11n, path: '/system.slice/docker-abc.scope' },
        { id: 12n, path: '/user.slice' },
        { id: 13n, path: '/system.slice/cron.service' },
      ],
      hybrid,
      result.list,
    );
    t.deepEqual(
      named.map(({ id, kind, name, charted }) => ({ id, kind, name, charted })),
      [
        { id: 10n, kind: 'service', name: 'nginx', charted: true },
        { id: 11n, kind: 'cgroup', name: 'web', charted: true },
        { id: 12n, kind: 'cgroup', name: 'user-slice', charted: false },
        // Not in Netdata's list (yet): named from its path.
        { id: 13n, kind: 'service', name: 'cron', charted: true },
      ],
    );
  }));

test("services are not charted when Netdata's list says systemd services are off", (t) =>
  withSegment(segment(entries, { systemdEnabled: 0 }), async (file) => {
    const result = await readShmCgroupList(file);
    if (result.kind !== 'list') return void t.fail();
    t.false(nameCgroups([{ id: 10n, path: '/system.slice/nginx.service' }], hybrid, result.list)[0]!.charted);
  }));

test('no segment is not a problem: names come from paths', async (t) => {
  t.deepEqual(await readShmCgroupList('/nonexistent/netdata_shm_cgroup_ebpf'), { kind: 'absent' });
});

const unusable: [what: string, bytes: Buffer, cause: RegExp][] = [
  ['a truncated header', Buffer.alloc(10), /shorter than its 24-byte header/],
  ['more cgroups than its maximum', segment(entries, { max: 2 }), /header says 3 cgroups of at most 2/],
  ['a size too small for its records (another layout)', segment(entries, { bodyLength: 1000 }), /too few for 4 records of 4368 bytes/],
  ['a name whose hash does not match', segment([{ ...entries[0]!, hash: 7 }]), /hash of `systemd_nginx` does not match/],
  ['a file cut inside the records', segment(entries).subarray(0, 24 + recordBytes + 100), /ends inside record 2 of 3/],
];

for (const [what, bytes, cause] of unusable) {
  test(`${what}: one message naming the file, the cause and the fix; names from paths`, (t) =>
    withSegment(bytes, async (file) => {
      const result = await readShmCgroupList(file);
      if (result.kind !== 'unusable') return void t.fail(JSON.stringify(result));
      t.regex(result.problem, cause);
      t.true(result.problem.startsWith(`cgroups: Netdata's cgroup list ${file} is not in the layout`), result.problem);
      t.regex(result.problem, /named from their paths instead\. Fix: /);
    }));
}
