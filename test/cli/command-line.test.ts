// SPDX-License-Identifier: GPL-3.0-or-later
// The command line as a newcomer types it (issue 26): a mistyped command is refused with the closest one named
// and nothing loaded, `help` prints help, and a flag means the same before or after the command's name.
import test from 'ava';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../helpers/run-plugin.js';

// Long enough for check on a loaded machine; a mistyped command that starts the plugin instead runs into it.
const run = (args: readonly string[]) => execa(process.execPath, [cli, ...args], { reject: false, stdin: 'ignore', timeout: 60_000 });

for (const [typed, meant] of [
  ['dryrun', 'dry-run'],
  ['chek', 'check'],
  ['selftst', 'selftest'],
] as const) {
  test(`\`${typed}\` is refused, naming \`${meant}\`, and loads nothing`, async (t) => {
    const result = await run([typed]);
    t.false(result.timedOut, 'it ran until killed: the plugin started');
    t.is(result.exitCode, 1, result.stderr);
    t.regex(result.stderr, new RegExp(`unknown command '${typed}'\\n\\(Did you mean ${meant}\\?\\)`));
    t.notRegex(result.stdout, /^CHART /m, 'the plugin wrote its protocol');
  });
}

test('`help` prints the commands and starts nothing', async (t) => {
  const help = await run(['help']);
  t.is(help.exitCode, 0, help.stderr);
  t.regex(help.stdout, /^Usage: ebpf-process \[options\] \[command\] \[update_every\]/m);
  t.regex(help.stdout, /^ +dry-run \[options\]/m);
  t.notRegex(help.stdout, /^CHART /m);
});

const withConfig = async (t: import('ava').ExecutionContext): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'ebpf_process.conf');
  await writeFile(config, '[global]\n');
  return config;
};

test('check takes --cgroups and --apps, before or after its name, with the same result', async (t) => {
  const config = await withConfig(t);
  const after = await run(['check', '--config', config, '--cgroups', '--apps']);
  const before = await run(['--cgroups', '--apps', 'check', '--config', config]);
  for (const result of [after, before]) {
    t.regex(result.stdout, /^ok +per cgroup +cgroup v2 at /m, `${result.command}\n${result.stdout}\n${result.stderr}`);
    t.regex(result.stdout, /^ok +per application +\d+ groups from /m, result.stdout);
  }
});

test('dry-run reads --mode and --cgroups the same before and after its name', async (t) => {
  const config = await withConfig(t);
  const reports = await Promise.all([
    run(['dry-run', '--json', '--config', config, '--mode', 'return', '--cgroups']),
    run(['--mode', 'return', '--cgroups', 'dry-run', '--json', '--config', config]),
  ]);
  for (const result of reports) {
    t.is(result.exitCode, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { mode: string; who?: { keyTables: { key: string }[] } };
    t.is(report.mode, 'return', result.command);
    t.deepEqual(
      report.who?.keyTables.map((table) => table.key),
      ['cgroup'],
      result.command,
    );
  }
});

test('a flag a command does not take is refused wherever it is placed, naming the commands that take it', async (t) => {
  for (const args of [
    ['--pid', '1', 'selftest'],
    ['selftest', '--pid', '1'],
    ['--cgroups', 'min-btf'],
  ]) {
    const result = await run(args);
    t.is(result.exitCode, 1, `${args.join(' ')}: ${result.stderr}`);
    t.regex(result.stderr, /unknown option '--(pid|cgroups)'|`(selftest|min-btf)` does not take --(pid|cgroups)/, args.join(' '));
  }
  const placedBefore = await run(['--pid', '1', 'selftest']);
  t.regex(placedBefore.stderr, /`selftest` does not take --pid \(it is taken by plugin mode, script, dry-run\)/);
});
