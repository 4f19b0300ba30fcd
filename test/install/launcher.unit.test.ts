// SPDX-License-Identifier: GPL-3.0-or-later
import test from 'ava';
import { execa } from 'execa';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLauncher, pluginNodeFlag, renderLauncher } from '../../src/install/launcher.js';

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
  t.deepEqual(JSON.parse(stdout), { argv1: launcher, args: ['1'], node: [pluginNodeFlag] });
});

test('parseLauncher reads back what renderLauncher wrote and rejects other files', (t) => {
  const sources = { nodeBinary: '/usr/bin/node', cliScript: '/opt/ebpf process/dist/cli.js' };
  t.deepEqual(parseLauncher(renderLauncher(sources)), sources);
  t.is(parseLauncher('#!/bin/sh\nexec something\n'), undefined);
  const withoutFlag = renderLauncher(sources).replace(` ${pluginNodeFlag}\n`, '\n');
  t.deepEqual(parseLauncher(withoutFlag), sources, 'a launcher written before the flag still reads back');
});

test('a Node path the kernel cannot put in a shebang is refused with the fix', (t) => {
  const error = t.throws(() => renderLauncher({ nodeBinary: '/opt/my node/bin/node', cliScript: '/x/cli.js' }));
  t.regex(error.message, /without blanks.*Fix:/s);
});
