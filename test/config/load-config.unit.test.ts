// SPDX-License-Identifier: GPL-3.0-or-later
// Config files: Netdata's keys, the user's file over the stock one, and one clear line per bad value. What the
// built commands do with a config: load-config.test.ts.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { defaultConfig } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';
import { withTempDir } from '../helpers/temp-file.js';

test('the user file overrides the stock file, and the old `load` key still works', (t) =>
  withTempDir(async (dir) => {
    mkdirSync(path.join(dir, 'stock'));
    mkdirSync(path.join(dir, 'user'));
    writeFileSync(path.join(dir, 'stock/ebpf_process.conf'), '[global]\n  ebpf load mode = return\n  update every = 5\n');
    writeFileSync(path.join(dir, 'user/ebpf_process.conf'), '[global]\nload = entry\n');
    const loaded = await loadConfig(undefined, {
      NETDATA_STOCK_CONFIG_DIR: path.join(dir, 'stock'),
      NETDATA_USER_CONFIG_DIR: path.join(dir, 'user'),
    });
    t.is(loaded.config.mode, 'entry');
    t.is(loaded.config.updateEvery, 5);
    t.deepEqual(loaded.warnings, []);
  }));

test("a bad value in the user file keeps the stock file's value, and the warning says so", (t) =>
  withTempDir(async (dir) => {
    mkdirSync(path.join(dir, 'stock'));
    mkdirSync(path.join(dir, 'user'));
    const stock = path.join(dir, 'stock/ebpf_process.conf');
    const user = path.join(dir, 'user/ebpf_process.conf');
    writeFileSync(stock, '[global]\n  ebpf load mode = return\n');
    writeFileSync(user, '[global]\n  ebpf load mode = exit\n  update every = 0\n');
    const loaded = await loadConfig(undefined, {
      NETDATA_STOCK_CONFIG_DIR: path.join(dir, 'stock'),
      NETDATA_USER_CONFIG_DIR: path.join(dir, 'user'),
    });
    t.is(loaded.config.mode, 'return');
    t.is(loaded.config.updateEvery, defaultConfig.updateEvery);
    t.deepEqual(loaded.warnings, [
      `${user} [global] ebpf load mode = "exit": expected entry or return; keeping "return" from ${stock}`,
      `${user} [global] update every = "0": expected a whole number of seconds from 1 to 3600; using the default "1"`,
    ]);
  }));

test('each bad value gets one line naming file, section, key, value, what is accepted and the default', (t) =>
  withTempDir(async (dir) => {
    const file = path.join(dir, 'ebpf_process.conf');
    writeFileSync(
      file,
      '[global]\nebpf load mode = exit\nupdate every = 0\nebpf co-re tracing = ' +
        'uprobe\nbackend = bcc\nbpftrace path = /tmp/x $(id)\ncolour = blue\n[apps]\nx = 1\n',
    );
    const loaded = await loadConfig(file);
    t.deepEqual(loaded.config, defaultConfig);
    const text = loaded.warnings.join('\n');
    t.regex(text, new RegExp(`${file} \\[global\\] ebpf load mode = "exit": expected entry or return; using the default "entry"`));
    t.regex(text, /update every = "0": expected a whole number of seconds from 1 to 3600; using the default "1"/);
    t.regex(text, /ebpf co-re tracing = "uprobe": expected auto, trampoline, probe or tracepoint/);
    t.regex(text, /backend = "bcc": expected auto, bpftrace or helper/);
    t.regex(text, /bpftrace path = "\/tmp\/x \$\(id\)": expected an absolute path/);
    t.regex(text, /unknown key `colour`/);
    t.regex(text, /unknown section \[apps\]/);
  }));

test('a file of random bytes or one too large is ignored with a reason', (t) =>
  withTempDir(async (dir) => {
    const binary = path.join(dir, 'binary.conf');
    writeFileSync(binary, Buffer.from([0, 1, 2, 255, 91, 0, 93]));
    t.regex((await loadConfig(binary)).warnings.join(), /binary content/);
    const huge = path.join(dir, 'huge.conf');
    writeFileSync(huge, `[global]\n${'# padding\n'.repeat(10_000)}`);
    t.regex((await loadConfig(huge)).warnings.join(), /larger than/);
    t.regex((await loadConfig(path.join(dir, 'absent.conf'))).warnings.join(), /no such config file/);
  }));

test("`helper path` takes an absolute path of plain characters; anything else falls back to the package's helper", (t) =>
  withTempDir(async (dir) => {
    const file = path.join(dir, 'ebpf_process.conf');
    writeFileSync(file, '[global]\nhelper path = /usr/lib/netdata/plugins.d/ebpf-process/ebpf-process-helper\n');
    const good = await loadConfig(file);
    t.is(good.config.helperPath, '/usr/lib/netdata/plugins.d/ebpf-process/ebpf-process-helper');
    t.deepEqual(good.warnings, []);
    for (const value of ['ebpf-process-helper', '/opt/../bin/sh', '/tmp/x$(id)', '/tmp/a b']) {
      writeFileSync(file, `[global]\nhelper path = ${value}\n`);
      const bad = await loadConfig(file);
      t.is(bad.config.helperPath, undefined, value);
      t.regex(
        bad.warnings.join('\n'),
        /helper path = .*expected an absolute path.*using the default "the helper built inside the package"/,
        value,
      );
    }
  }));

test('self monitoring and the kernel CPU budget: accepted spellings, and bad values named with the fix', (t) =>
  withTempDir(async (dir) => {
    const file = path.join(dir, 'ebpf_process.conf');
    const load = async (lines: string) => {
      writeFileSync(file, `[global]\n${lines}\n`);
      return loadConfig(file);
    };
    for (const [written, percent] of [
      ['2', 2],
      ['2%', 2],
      [' 0.5 % ', 0.5],
      ['1000', 1000],
      ['0.01', 0.01],
    ] as const) {
      const loaded = await load(`max kernel cpu = ${written}`);
      t.is(loaded.config.maxKernelCpu, percent, written);
      t.deepEqual(loaded.warnings, [], written);
    }
    t.is((await load('self monitoring = YES')).config.selfMonitoring, 'yes');
    t.is((await load('max kernel cpu window = 30')).config.budgetWindow, 30);
    for (const bad of ['0', '1001', '2x', '-1', '1e3', '50%%', 'none']) {
      const loaded = await load(`max kernel cpu = ${bad}`);
      t.is(loaded.config.maxKernelCpu, undefined, bad);
      t.regex(
        loaded.warnings.join('\n'),
        new RegExp(
          /max kernel cpu = ".*": expected a percentage of one core from 0.01 to 1000, such as 2 or 2% /.source +
            /\(leave the key out for no budget\); using the default "no budget"/.source,
        ),
        bad,
      );
    }
    const bad = await load('self monitoring = maybe\nmax kernel cpu window = 0');
    t.deepEqual(bad.config, defaultConfig);
    t.regex(bad.warnings.join('\n'), /self monitoring = "maybe": expected yes or no; using the default "no"/);
    t.regex(
      bad.warnings.join('\n'),
      /max kernel cpu window = "0": expected a whole number of seconds from 1 to 3600; using the default "10"/,
    );
  }));

// Issue 26, point 6: the warning named the default while the plugin ran the later `load`.
test('`load` and `ebpf load mode` both set: the warnings say which mode runs, in either order', (t) =>
  withTempDir(async (dir) => {
    const badFirst = path.join(dir, 'bad-first.conf');
    writeFileSync(badFirst, '[global]\nebpf load mode = retrun\nload = return\n');
    const loaded = await loadConfig(badFirst);
    t.is(loaded.config.mode, 'return');
    t.deepEqual(loaded.warnings, [
      `${badFirst} [global]: \`ebpf load mode\` is set more than once (as \`ebpf load mode\`, \`load\`); the last valid value is used`,
      `${badFirst} [global] ebpf load mode = "retrun": expected entry or return; using "return" from ${badFirst}`,
    ]);
    const bothValid = path.join(dir, 'both-valid.conf');
    writeFileSync(bothValid, '[global]\nload = return\nebpf load mode = entry\n');
    const valid = await loadConfig(bothValid);
    t.is(valid.config.mode, 'entry');
    t.deepEqual(valid.warnings, [
      `${bothValid} [global]: \`ebpf load mode\` is set more than once (as \`load\`, \`ebpf load mode\`); the last valid value is used`,
    ]);
  }));
