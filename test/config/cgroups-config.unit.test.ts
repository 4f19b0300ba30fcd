// SPDX-License-Identifier: GPL-3.0-or-later
// `cgroups` and `cgroup table size`: Netdata's key and ours, their defaults, a bad value's one line, the flag.
// The built plugin's help: cgroups-config.test.ts.
import test from 'ava';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveSettings } from '../../src/cli/settings.js';
import { withTempFile } from '../helpers/temp-file.js';

const withConfig = (text: string, run: (file: string) => Promise<void>) => withTempFile('ebpf_process.conf', text, run);

test('off by default, with a table of 1000 cgroups', async (t) => {
  const { config } = await loadConfig('/nonexistent/ebpf_process.conf');
  t.deepEqual([config.cgroups, config.cgroupTableSize], ['no', 1000]);
});

test('both keys are read from [global]', (t) =>
  withConfig('[global]\n  cgroups = Yes\n  cgroup table size = 250\n', async (file) => {
    const loaded = await loadConfig(file);
    t.deepEqual([loaded.config.cgroups, loaded.config.cgroupTableSize, loaded.warnings], ['yes', 250, []]);
  }));

for (const bad of ['0', '65537', 'many', '1.5']) {
  test(`cgroup table size = ${bad}: one line saying what is accepted, and the default is used`, (t) =>
    withConfig(`[global]\ncgroup table size = ${bad}\n`, async (file) => {
      const loaded = await loadConfig(file);
      t.is(loaded.config.cgroupTableSize, 1000);
      t.deepEqual(loaded.warnings, [
        `${file} [global] cgroup table size = "${bad}": expected a whole number of cgroups from 1 to 65536; using the default "1000"`,
      ]);
    }));
}

test('--cgroups turns cgroups on over the file', (t) =>
  withConfig('[global]\ncgroups = no\n', async (file) => {
    t.is((await resolveSettings({ config: file, cgroups: true })).config.cgroups, 'yes');
    t.is((await resolveSettings({ config: file })).config.cgroups, 'no');
  }));
