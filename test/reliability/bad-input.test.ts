// SPDX-License-Identifier: GPL-3.0-or-later
// Bad flags and facts files given to the built plugin: a clear message naming the cause and the fix, and no
// stack trace; code smuggled through config, flags or a facts file never reaches a generated script. Bad
// config files as read: bad-input.unit.test.ts.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { cli, repoRoot } from '../helpers/run-plugin.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { withTempDir, withTempFile } from '../helpers/temp-file.js';
import { startPlugin, waitFor } from './support/plugin-process.js';

const withConfigFile = (content: string | Buffer, run: (file: string) => Promise<void>) => withTempFile('ebpf_process.conf', content, run);

const badFlags: string[][] = [
  ['--mode', 'exit'],
  ['--probe-type', 'uprobe'],
  ['--backend', 'bcc'],
  ['--pid', '0'],
  ['--pid', '1;2'],
  ['--pid', '99999999'],
  ['--comm', 'a"b'],
  ['--comm', '") } BEGIN { system("id") } /("'],
  ['--comm', 'waytoolongcommandname'],
  ['--unknown'],
];
for (const flags of badFlags) {
  test(`${flags.join(' ')} is a usage error naming the flag, with no stack trace`, async (t) => {
    const result = await execa(process.execPath, [cli, 'script', ...flags], { reject: false });
    t.not(result.exitCode, 0);
    t.regex(result.stderr, new RegExp(flags[0]!));
    t.notRegex(result.stderr, /\n\s+at .*:\d+:\d+/);
  });
}

// The filter follows processes: a thread id other than its process's, or no process at all, would count nothing
// (bpftrace) or the whole process (the helper), so plugin mode refuses both and names the fix.
test('plugin mode refuses --pid of a thread, naming its process, and of a process that is not there', async (t) => {
  const thread = readdirSync(`/proc/${process.pid}/task`).find((tid) => tid !== String(process.pid));
  if (!thread) throw new Error(`node has no thread but its main one in /proc/${process.pid}/task`);
  const ofThread = await execa(process.execPath, [cli, '1', '--pid', thread], { reject: false, timeout: 60_000 });
  t.is(ofThread.exitCode, 2, ofThread.stderr);
  t.regex(ofThread.stderr, new RegExp(`--pid ${thread} is a thread of process ${process.pid}.*Fix: --pid ${process.pid}$`, 'm'));
  t.is(ofThread.stdout, '', 'nothing was charted');
  // The kernel gives ids below pid_max only, so pid_max itself is never a process.
  const never = readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim();
  const gone = await execa(process.execPath, [cli, '1', '--pid', never], { reject: false, timeout: 60_000 });
  t.is(gone.exitCode, 2, gone.stderr);
  t.regex(gone.stderr, new RegExp(`--pid ${never}: no such process\\. Fix: give the id of a running process`));
});

test('an update_every argument out of range is reported and the configured one used', async (t) => {
  const plugin = startPlugin(['0', '--backend', 'helper']);
  try {
    await waitFor(() => plugin.stderr().includes('update every argument'), 'the warning', 10_000);
  } finally {
    plugin.child.kill('SIGTERM');
    await plugin.child;
  }
  t.regex(plugin.stderr(), /update every argument "0" is not 1-3600 seconds; using 1/);
});

test('an update_every argument that is no number is refused as an unknown command, and nothing runs', async (t) => {
  const result = await execa(process.execPath, [cli, '1;id', '--backend', 'helper'], { reject: false, timeout: 30_000 });
  t.is(result.exitCode, 1);
  t.regex(result.stderr, /unknown command '1;id'/);
  t.is(result.stdout, '', 'no protocol: no backend was started');
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
    const facts = JSON.parse(
      await import('node:fs/promises').then((fs) => fs.readFile(path.join(repoRoot, 'test/fixtures/kernels/host-6.18.json'), 'utf8')),
    );
    await withConfigFile(JSON.stringify({ ...facts, [field]: value }), async (file) => {
      const result = await execa(process.execPath, [cli, 'script', '--facts', file], { reject: false });
      t.is(result.exitCode, 2);
      t.regex(result.stderr, new RegExp(`facts file .*: ${field}`));
      t.notRegex(result.stdout, /system\(/);
    });
  });
}

test('config values carrying code never reach the script: the defaults are used', async (t) => {
  await withConfigFile(
    `[global]\nebpf load mode = return } BEGIN { ${smuggled} }\nupdate every = 1 } BEGIN { ${smuggled} }\n`,
    async (file) => {
      const result = await execa(
        process.execPath,
        [cli, 'script', '--config', file, '--json-output', '--facts', path.join(repoRoot, 'test/fixtures/kernels/host-6.18.json')],
        { reject: false },
      );
      t.is(result.exitCode, 0);
      t.notRegex(result.stdout, /system\(/);
    },
  );
});

test('the plugin refuses a bpftrace in a world-writable folder, says how to fix it, and runs the helper', (t) =>
  withTempDir(async (dir) => {
    await copyFile('/usr/bin/bpftrace', path.join(dir, 'bpftrace'));
    await chmod(dir, 0o777);
    await writeFile(path.join(dir, 'conf'), `[global]\nbpftrace path = ${path.join(dir, 'bpftrace')}\n`, { mode: 0o600 });
    const plugin = startPlugin(['1', '--config', path.join(dir, 'conf')]);
    try {
      await waitFor(() => plugin.stdout().includes('BEGIN ebpf.file_descriptor'), 'data from the helper');
    } finally {
      plugin.child.kill('SIGTERM');
      await plugin.child;
    }
    t.regex(plugin.stderr(), new RegExp(`refusing to run ${dir}/bpftrace: ${dir} is world-writable.*Fix: chmod o-w ${dir}`));
    t.is(replayProtocol(plugin.stdout()).get('ebpf.plugin_health')!.labels.get('backend'), 'helper', 'the helper charts instead');
  }));

test('the plugin writes no file to TMPDIR: the script goes through stdin', (t) =>
  withTempDir(async (dir) => {
    const plugin = startPlugin(['1', '--backend', 'bpftrace'], { TMPDIR: dir });
    try {
      // The first data block comes once bpftrace has compiled the script and attached every probe.
      await waitFor(() => plugin.stdout().includes('BEGIN ebpf.file_descriptor'), 'data from bpftrace');
      t.deepEqual(await readdir(dir), [], 'nothing in TMPDIR while bpftrace runs the script');
    } finally {
      plugin.child.kill('SIGTERM');
      await plugin.child;
    }
    t.is(replayProtocol(plugin.stdout()).get('ebpf.plugin_health')!.labels.get('backend'), 'bpftrace', 'bpftrace ran the script');
    t.deepEqual(await readdir(dir), [], 'nothing left in TMPDIR after the plugin stopped');
  }));
