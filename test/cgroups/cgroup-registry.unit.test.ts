// SPDX-License-Identifier: GPL-3.0-or-later
// The followed cgroups between updates: appeared, gone, bounded by the table size, the overflow counted.
import test from 'ava';
import { CgroupRegistry } from '../../src/cgroups/cgroup-registry.js';
import type { NamedCgroup } from '../../src/cgroups/cgroup-discovery.js';

const cgroup = (id: number, name = `c${id}`): NamedCgroup => ({ id: BigInt(id), path: `/${name}`, kind: 'cgroup', name, charted: true });
const ids = (cgroups: readonly NamedCgroup[]) => cgroups.map((each) => Number(each.id));

test('the first refresh reports every cgroup as appeared; later ones only the changes', (t) => {
  const registry = new CgroupRegistry(10);
  t.deepEqual(ids(registry.refresh([cgroup(1), cgroup(2)]).appeared), [1, 2]);
  const next = registry.refresh([cgroup(2), cgroup(3)]);
  t.deepEqual(
    { appeared: ids(next.appeared), gone: ids(next.gone), notFitting: next.notFitting },
    { appeared: [3], gone: [1], notFitting: 0 },
  );
  t.deepEqual(ids(registry.followed), [2, 3]);
});

test('a full table keeps the cgroups it follows and counts the ones that did not fit, until room frees', (t) => {
  const registry = new CgroupRegistry(2);
  t.is(registry.refresh([cgroup(1), cgroup(2), cgroup(3)]).notFitting, 1);
  t.is(registry.refresh([cgroup(3), cgroup(2), cgroup(1)]).notFitting, 1);
  t.deepEqual(ids(registry.followed), [1, 2]);
  const freed = registry.refresh([cgroup(2), cgroup(3)]);
  t.deepEqual(
    { appeared: ids(freed.appeared), gone: ids(freed.gone), notFitting: freed.notFitting },
    { appeared: [3], gone: [1], notFitting: 0 },
  );
});

test("a followed cgroup whose name changed (Netdata's list arrived) is updated in place, not re-added", (t) => {
  const registry = new CgroupRegistry(2);
  registry.refresh([cgroup(1, 'docker-abc')]);
  const renamed = registry.refresh([cgroup(1, 'web')]);
  t.deepEqual([renamed.appeared.length, renamed.gone.length], [0, 0]);
  t.is(registry.followed[0]!.name, 'web');
});

test('a table size below 1 is refused with what is expected', (t) => {
  t.throws(() => new CgroupRegistry(0), { message: /cgroup table size 0: expected a whole number of at least 1/ });
});
