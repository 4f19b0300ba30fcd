// SPDX-License-Identifier: GPL-3.0-or-later
import test from 'ava';
import { execa } from 'execa';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLauncher, pluginNodeFlags, renderLauncher } from '../../src/install/launcher.js';

test('the launcher loads cli.js with the pinned Node and keeps its own name in argv[1]', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ebpf-launcher-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cli = join(dir, "dist dir 'quoted'", 'cli.js');
  await execa('mkdir', ['-p', join(dir, "dist dir 'quoted'")]);
  await writeFile(cli, 'console.log(JSON.stringify({ argv1: process.argv[1], args: process.argv.slice(2), node: process.execArgv }));\n');
  const launcher = join(dir, 'ebpf_process.plugin');
  await writeFile(launcher, renderLauncher({ nodeBinary: process.execPath, cliScript: cli }));
  await chmod(launcher, 0o755);
  const { stdout } = await execa(launcher, ['1'], { env: { PATH: '/nonexistent' } });
  t.deepEqual(JSON.parse(stdout), { argv1: launcher, args: ['1'], node: [...pluginNodeFlags] });
});

test('parseLauncher reads back what renderLauncher wrote and rejects other files', (t) => {
  const sources = { nodeBinary: '/usr/bin/node', cliScript: '/opt/ebpf process/dist/cli.js' };
  t.deepEqual(parseLauncher(renderLauncher(sources)), sources);
  t.is(parseLauncher('#!/bin/sh\nexec something\n'), undefined);
  const [, ...rest] = renderLauncher(sources).split('\n');
  for (const older of ['#!/usr/bin/node', '#!/usr/bin/node --max-semi-space-size=2'])
    t.deepEqual(parseLauncher([older, ...rest].join('\n')), sources, `a launcher written with ${older} still reads back`);
});

test('a Node path the kernel cannot put in a shebang is refused with the fix', (t) => {
  // env -S would split at a blank and read `$` and `\\` as its own syntax; the kernel reads 255 bytes of the line.
  for (const nodeBinary of ['/opt/my node/bin/node', '/opt/$HOME/node', '/opt/a\\b/node', `/${'n'.repeat(250)}`, 'node']) {
    const error = t.throws(() => renderLauncher({ nodeBinary, cliScript: '/x/cli.js' }), undefined, nodeBinary);
    t.regex(error?.message ?? '', /absolute path of letters, digits.*Fix:/s);
  }
});
