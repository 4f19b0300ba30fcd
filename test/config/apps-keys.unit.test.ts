// SPDX-License-Identifier: GPL-3.0-or-later
// `apps` and `apps table size`: Netdata's key, its default, validation, and the stock file listing them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { defaultConfig } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveSettings } from '../../src/cli/settings.js';
import { repoRoot } from '../helpers/run-plugin.js';

const withConfig = async (text: string, run: (file: string) => Promise<void>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-apps-keys-'));
  const file = path.join(dir, 'ebpf_process.conf');
  writeFileSync(file, text);
  try {
    await run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('apps is off by default with a table of 1024 names; both read from [global]', (t) =>
  withConfig('[global]\n  apps = YES\n  apps table size = 4096\n', async (file) => {
    t.is(defaultConfig.apps, 'no');
    t.is(defaultConfig.appsTableSize, 1024);
    const loaded = await loadConfig(file);
    t.deepEqual(loaded.warnings, []);
    t.is(loaded.config.apps, 'yes');
    t.is(loaded.config.appsTableSize, 4096);
  }));

test('a bad apps table size or apps value is one clear line and the default is used', (t) =>
  withConfig('[global]\napps = maybe\napps table size = 10\n', async (file) => {
    const loaded = await loadConfig(file);
    t.is(loaded.config.apps, 'no');
    t.is(loaded.config.appsTableSize, 1024);
    t.deepEqual(loaded.warnings, [
      `${file} [global] apps = "maybe": expected yes or no; using the default "no"`,
      `${file} [global] apps table size = "10": expected a whole number of task names from 16 to 65536; using the default "1024"`,
    ]);
  }));

test('--apps turns it on over the file', (t) =>
  withConfig('[global]\napps = no\n', async (file) => {
    t.is((await resolveSettings({ config: file, apps: true })).config.apps, 'yes');
    t.is((await resolveSettings({ config: file })).config.apps, 'no');
  }));

test('the stock ebpf_process.conf shows both keys at their defaults', (t) => {
  const stock = readFileSync(path.join(repoRoot, 'conf/ebpf_process.conf'), 'utf8');
  t.regex(stock, /^ {4}# apps = no$/m);
  t.regex(stock, /^ {4}# apps table size = 1024$/m);
});
