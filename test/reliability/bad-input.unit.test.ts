// SPDX-License-Identifier: GPL-3.0-or-later
// Bad config files: each bad value falls back to its default with one message naming the key and what is
// accepted. The built plugin given bad flags and facts files: bad-input.test.ts.
import test from 'ava';
import { loadConfig } from '../../src/config/load-config.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { withTempFile } from '../helpers/temp-file.js';
import { seededRandom } from './support/seeded-random.js';

const withConfigFile = (content: string | Buffer, run: (file: string) => Promise<void>) => withTempFile('ebpf_process.conf', content, run);

const hostile = [
  '0',
  '-1',
  '3601',
  '1.5',
  '1e3',
  'yes',
  '',
  '"; system("id"); "',
  '} BEGIN { system("id") } {',
  '$(id)',
  '../../bin/sh',
  'x'.repeat(5000),
];
const keys = ['ebpf load mode', 'update every', 'ebpf co-re tracing', 'backend', 'bpftrace path', 'helper path'];

for (const key of keys) {
  test(`\`${key}\` with wrong, out-of-range and hostile values falls back to its default with a message naming the key`, async (t) => {
    for (const value of hostile) {
      await withConfigFile(`[global]\n${key} = ${value}\n`, async (file) => {
        const { config, warnings } = await loadConfig(file);
        t.deepEqual(config, defaultConfig, `${key} = ${value.slice(0, 20)} must not be accepted`);
        t.is(warnings.length, 1, `${key} = ${value.slice(0, 20)}`);
        t.true(warnings[0]!.includes(key) && warnings[0]!.includes('expected'), warnings[0]);
      });
    }
  });
}

test('random bytes, a huge file, duplicate keys and sections and unknown keys each get one warning and defaults', async (t) => {
  const random = seededRandom(7);
  const cases: Array<[string | Buffer, RegExp]> = [
    [Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))), /binary content|unknown|outside any section/],
    [`[global]\n${'update every = 5\n'.repeat(10_000)}`, /larger than 65536/],
    ['[global]\nupdate every = 5\nupdate every = 7\n', /`update every` is set more than once/],
    ['[global]\nupdate every = 5\n[global]\nebpf load mode = return\n', /^$/],
    ['[global]\nfancy = 1\n', /unknown key `fancy`; known keys:/],
    ['[other]\nx = 1\n', /unknown section \[other\]/],
  ];
  for (const [content, expected] of cases) {
    await withConfigFile(content, async (file) => {
      const { config, warnings } = await loadConfig(file);
      t.regex(warnings.join('\n'), expected);
      t.true(config.updateEvery >= 1 && config.updateEvery <= 3600);
    });
  }
});
