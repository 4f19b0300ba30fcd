// SPDX-License-Identifier: GPL-3.0-or-later
// Bad config files and flags: a clear message naming the cause and the fix, defaults for the rest, and no
// stack trace; code smuggled through config, flags or a facts file never reaches a generated script.
import test from 'ava';
import { chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../../src/config/load-config.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { cli, repoRoot } from '../helpers/run-plugin.js';
import { seededRandom } from './support/seeded-random.js';
import { startPlugin, waitFor } from './support/plugin-process.js';

const withFile = async (content: string | Buffer, use: (file: string) => Promise<void>): Promise<void> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-test-'));
  try {
    const file = path.join(dir, 'ebpf_process.conf');
    await writeFile(file, content, { mode: 0o600 });
    await use(file);
  } finally {
    await rm(dir, { recursive: true });
  }
};

const hostile = ['0', '-1', '3601', '1.5', '1e3', 'yes', '', '"; system("id"); "', '} BEGIN { system("id") } {', '$(id)', '../../bin/sh', 'x'.repeat(5000)];
const keys = ['ebpf load mode', 'update every', 'ebpf co-re tracing', 'backend', 'bpftrace path', 'helper path'];

for (const key of keys) {
  test(`\`${key}\` with wrong, out-of-range and hostile values falls back to its default with a message naming the key`, async (t) => {
    for (const value of hostile) {
      await withFile(`[global]\n${key} = ${value}\n`, async (file) => {
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
    ['[global]\n' + 'update every = 5\n'.repeat(10_000), /larger than 65536/],
    ['[global]\nupdate every = 5\nupdate every = 7\n', /`update every` is set more than once/],
    ['[global]\nupdate every = 5\n[global]\nebpf load mode = return\n', /^$/],
    ['[global]\nfancy = 1\n', /unknown key `fancy`; known keys:/],
    ['[other]\nx = 1\n', /unknown section \[other\]/],
  ];
  for (const [content, expected] of cases) {
    await withFile(content, async (file) => {
      const { config, warnings } = await loadConfig(file);
      t.regex(warnings.join('\n'), expected);
      t.true(config.updateEvery >= 1 && config.updateEvery <= 3600);
    });
  }
});

const badFlags: string[][] = [
  ['--mode', 'exit'], ['--probe-type', 'uprobe'], ['--backend', 'bcc'], ['--pid', '0'], ['--pid', '1;2'], ['--pid', '99999999'],
  ['--comm', 'a"b'], ['--comm', '") } BEGIN { system("id") } /("'], ['--comm', 'waytoolongcommandname'], ['--unknown'],
];
for (const flags of badFlags) {
  test(`${flags.join(' ')} is a usage error naming the flag, with no stack trace`, async (t) => {
    const result = await execa(process.execPath, [cli, 'script', ...flags], { reject: false });
    t.not(result.exitCode, 0);
    t.regex(result.stderr, new RegExp(flags[0]!));
    t.notRegex(result.stderr, /\n\s+at .*:\d+:\d+/);
  });
}

test('a bad update_every argument is reported and the configured one used', async (t) => {
  const plugin = startPlugin(['1;id', '--backend', 'helper']);
  try {
    await waitFor(() => plugin.stderr().includes('update every argument'), 'the warning', 10_000);
  } finally {
    plugin.child.kill('SIGTERM');
    await plugin.child;
  }
  t.regex(plugin.stderr(), /update every argument "1;id" is not 1-3600 seconds; using 1/);
});

const smuggled = 'system("touch /tmp/pwned")';
for (const [field, value] of [
  ['release', `6.1.0 */ BEGIN { ${smuggled} } /*`],
  ['symbols', [`vfs_read { ${smuggled} } kprobe:vfs_write`]],
  ['tracepoints', [`syscalls:sys_enter_openat { ${smuggled} }`]],
  ['arch', 'x86_64 */'],
  ['bpftrace', { path: '/usr/bin/bpftrace; id', version: '0.17.0' }],
] as const) {
  test(`a facts file whose ${field} carries code is refused by \`script --facts\``, async (t) => {
    const facts = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(path.join(repoRoot, 'test/fixtures/kernels/host-6.18.json'), 'utf8')));
    await withFile(JSON.stringify({ ...facts, [field]: value }), async (file) => {
      const result = await execa(process.execPath, [cli, 'script', '--facts', file], { reject: false });
      t.is(result.exitCode, 2);
      t.regex(result.stderr, new RegExp(`facts file .*: ${field}`));
      t.notRegex(result.stdout, /system\(/);
    });
  });
}

test('config values carrying code never reach the script: the defaults are used', async (t) => {
  await withFile(`[global]\nebpf load mode = return } BEGIN { ${smuggled} }\nupdate every = 1 } BEGIN { ${smuggled} }\n`, async (file) => {
    const result = await execa(process.execPath, [cli, 'script', '--config', file, '--json-output', '--facts',
      path.join(repoRoot, 'test/fixtures/kernels/host-6.18.json')], { reject: false });
    t.is(result.exitCode, 0);
    t.notRegex(result.stdout, /system\(/);
  });
});

test('the plugin refuses a bpftrace in a world-writable folder, says how to fix it, and runs the helper', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-test-'));
  try {
    await copyFile('/usr/bin/bpftrace', path.join(dir, 'bpftrace'));
    await chmod(dir, 0o777);
    await writeFile(path.join(dir, 'conf'), `[global]\nbpftrace path = ${path.join(dir, 'bpftrace')}\n`, { mode: 0o600 });
    const plugin = execa(process.execPath, [cli, '1', '--config', path.join(dir, 'conf')], { reject: false, buffer: true });
    setTimeout(() => plugin.kill('SIGTERM'), 8000);
    const result = await plugin;
    t.regex(String(result.stderr), new RegExp(`refusing to run ${dir}/bpftrace: ${dir} is world-writable.*Fix: chmod o-w ${dir}`));
    t.regex(String(result.stdout), /BEGIN ebpf.file_descriptor/, 'the helper charts instead');
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('the plugin writes no file to TMPDIR: the script goes through stdin', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-test-'));
  try {
    const plugin = execa(process.execPath, [cli, '1'], { reject: false, buffer: true, env: { TMPDIR: dir } });
    setTimeout(() => plugin.kill('SIGTERM'), 6000);
    await plugin;
    t.deepEqual(await import('node:fs/promises').then((fs) => fs.readdir(dir)), []);
  } finally {
    await rm(dir, { recursive: true });
  }
});
