// SPDX-License-Identifier: GPL-3.0-or-later
// locateHelper finds the built helper for an architecture, and refuses one that others could replace.
import test from 'ava';
import { chmod, copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { helperPath, locateConfiguredHelper, locateHelper } from '../../../src/backend/helper/locate-helper.js';
import { buildHelper } from './support/build.js';

// A made-up architecture folder under bpf-fallback/bin (ignored by git), removed afterwards.
const fakeArch = async (): Promise<{ arch: string; file: string; remove: () => Promise<void> }> => {
  const arch = `test-${randomBytes(4).toString('hex')}`;
  const file = helperPath(arch);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  await copyFile(await buildHelper(), file);
  await chmod(path.dirname(file), 0o755);
  await chmod(file, 0o755);
  return { arch, file, remove: () => rm(path.dirname(file), { recursive: true, force: true }) };
};

test('finds the helper built for this machine', async (t) => {
  t.is(await locateHelper(), await buildHelper());
});

test('returns null for an architecture nobody built', async (t) => {
  t.is(await locateHelper('no-such-arch'), null);
});

test('refuses a world-writable helper', async (t) => {
  const fake = await fakeArch();
  t.teardown(fake.remove);
  t.is(await locateHelper(fake.arch), fake.file);
  await chmod(fake.file, 0o757);
  await t.throwsAsync(locateHelper(fake.arch), { message: /is world-writable.*chmod o-w/ });
});

test('refuses a helper in a world-writable folder', async (t) => {
  const fake = await fakeArch();
  t.teardown(fake.remove);
  await chmod(path.dirname(fake.file), 0o777);
  await t.throwsAsync(locateHelper(fake.arch), { message: new RegExp(`${path.dirname(fake.file)} is world-writable`) });
});

test('refuses a helper that is not executable', async (t) => {
  const fake = await fakeArch();
  t.teardown(fake.remove);
  await chmod(fake.file, 0o644);
  await t.throwsAsync(locateHelper(fake.arch), { message: /is not executable/ });
});

test('a configured helper is used as given, and refused when missing, world-writable or not executable', async (t) => {
  const fake = await fakeArch();
  t.teardown(fake.remove);
  t.is(await locateConfiguredHelper(fake.file), fake.file);
  await t.throwsAsync(locateConfiguredHelper(`${fake.file}.absent`), { message: /no such file/ });
  await chmod(path.dirname(fake.file), 0o777);
  await t.throwsAsync(locateConfiguredHelper(fake.file), { message: new RegExp(`${path.dirname(fake.file)} is world-writable`) });
  await chmod(path.dirname(fake.file), 0o755);
  await chmod(fake.file, 0o644);
  await t.throwsAsync(locateConfiguredHelper(fake.file), { message: /is not executable/ });
});
