// SPDX-License-Identifier: GPL-3.0-or-later
// Which apps_groups.conf is used: the user's copy over the stock one, as a whole, as apps.plugin does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { loadAppsGroups } from '../../src/apps/load-groups.js';

const withDirs = async (run: (env: NodeJS.ProcessEnv, stock: string, user: string) => Promise<void>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-apps-'));
  const stock = path.join(dir, 'stock');
  const user = path.join(dir, 'user');
  mkdirSync(stock);
  mkdirSync(user);
  try {
    await run({ NETDATA_STOCK_CONFIG_DIR: stock, NETDATA_USER_CONFIG_DIR: user }, stock, user);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test("the user's file replaces the stock one as a whole", (t) =>
  withDirs(async (env, stock, user) => {
    writeFileSync(path.join(stock, 'apps_groups.conf'), 'stockgroup: alpha\nshared: beta\n');
    writeFileSync(path.join(user, 'apps_groups.conf'), 'shared: alpha\n');
    const loaded = await loadAppsGroups(env);
    t.is(loaded.file, path.join(user, 'apps_groups.conf'));
    t.deepEqual(
      loaded.groups.map((group) => group.name),
      ['shared'],
    );
    t.is(loaded.groupOf('alpha'), 'shared');
    t.is(loaded.groupOf('beta'), 'other');
    t.deepEqual(loaded.warnings, []);
  }));

test('without a user file the stock one is used; an unreadable user file is said and skipped', (t) =>
  withDirs(async (env, stock, user) => {
    writeFileSync(path.join(stock, 'apps_groups.conf'), 'stockgroup: alpha\n');
    t.is((await loadAppsGroups(env)).groupOf('alpha'), 'stockgroup');
    mkdirSync(path.join(user, 'apps_groups.conf'));
    const loaded = await loadAppsGroups(env);
    t.is(loaded.file, path.join(stock, 'apps_groups.conf'));
    t.deepEqual(loaded.warnings, [`${path.join(user, 'apps_groups.conf')}: not a regular file; ignored`]);
  }));

test('with neither file every task is in `other`, and stderr says where the file was looked for', (t) =>
  withDirs(async (env, stock, user) => {
    const loaded = await loadAppsGroups(env);
    t.is(loaded.file, undefined);
    t.is(loaded.groupOf('nginx'), 'other');
    t.is(loaded.warnings.length, 1);
    t.true(
      loaded.warnings[0]!.includes(path.join(user, 'apps_groups.conf')) &&
        loaded.warnings[0]!.includes(path.join(stock, 'apps_groups.conf')),
    );
  }));

test("a bad line in the user's file is reported with the file and line, and its other groups are used", (t) =>
  withDirs(async (env, _stock, user) => {
    writeFileSync(path.join(user, 'apps_groups.conf'), 'web: nginx\nbroken: "x\nsql: mysqld\n');
    const loaded = await loadAppsGroups(env);
    t.deepEqual(loaded.warnings, [
      `${path.join(user, 'apps_groups.conf')} line 2: a " quote is not closed; close it on the same line. Line ignored`,
    ]);
    t.is(loaded.groupOf('mysqld'), 'sql');
  }));
