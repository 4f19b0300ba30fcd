// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #17's "docs that hold": every command in the sh blocks of README.md and docs/*.md is listed in
// docs/doc-commands.json, and run the way that list says (as written, in a private root instead, or not
// here with the reason). A command added to the docs without an entry fails the first test; one whose
// claim stops holding fails its own.
import test from 'ava';
import { execa } from 'execa';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/run-plugin.js';
import { releaseOnlyShort } from '../helpers/selftest-result.js';

type Entry =
  | { how: 'as written' | 'until'; stdout?: string; exit?: number[]; why?: string }
  | { how: 'instead' | 'setup'; run: string; why: string; stdout?: string; exit?: number[] }
  | { how: 'not here'; why: string };

const listFile = 'docs/doc-commands.json';
const { commands } = JSON.parse(readFileSync(path.join(repoRoot, listFile), 'utf8')) as { commands: Record<string, Entry> };

// Lines of ```sh and ```bash blocks, without their trailing comments; the file each came from.
const documented = (): Map<string, string> => {
  const files = [
    'README.md',
    ...readdirSync(path.join(repoRoot, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const found = new Map<string, string>();
  for (const file of files) {
    for (const block of readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)) {
      for (const line of block[1]!.split('\n')) {
        const command = line.replace(/\s+#.*$/, '').trim();
        if (command !== '' && !command.startsWith('#') && !found.has(command)) found.set(command, file);
      }
    }
  }
  return found;
};

test('every command in the docs is in docs/doc-commands.json, and nothing else is', (t) => {
  const inDocs = documented();
  t.deepEqual(
    [...inDocs.keys()].filter((command) => !(command in commands)).map((command) => `${inDocs.get(command)}: ${command}`),
    [],
    `commands without an entry in ${listFile}`,
  );
  t.deepEqual(
    Object.keys(commands).filter((command) => !inDocs.has(command)),
    [],
    `entries in ${listFile} no document shows`,
  );
});

// How a person runs the line: from the checkout, as root (the tests' user), so a leading sudo changes nothing.
const asWritten = (command: string): string => command.replace(/^sudo /, '');
// A bound for a hang, not a speed limit: one documented command runs the whole unit tier, which took over 200 s on a
// loaded 2-core machine (a kernel guest, a dd loop and another test tier beside it).
const commandDeadlineSeconds = 600;
const commandDeadlineMs = commandDeadlineSeconds * 1000;

interface Context {
  readonly env: NodeJS.ProcessEnv;
}
let context: Context | undefined;

// timeout(1) signals its whole process group, so an npm script's own children end with it and the test reports the
// deadline instead of waiting on their open output.
const runScript = async (script: string, env: NodeJS.ProcessEnv) =>
  execa('timeout', ['-k', '10', String(commandDeadlineSeconds), 'bash', '-c', script], {
    cwd: repoRoot,
    env,
    reject: false,
    stdin: 'ignore',
    all: true,
  });

// The package as the docs install it, once: the setup entries, in order, in one private directory.
test.serial.before(async () => {
  const packageDir = await mkdtemp(path.join(tmpdir(), 'ebpf-process-package-'));
  // The netdata user runs the installed package too (sudo -u netdata ebpf-process check).
  await chmod(packageDir, 0o755);
  const env = { ...process.env, PACKAGE: packageDir, PATH: `${path.join(packageDir, 'prefix', 'bin')}:${process.env['PATH'] ?? ''}` };
  context = { env };
  for (const [command, entry] of Object.entries(commands)) {
    if (entry.how !== 'setup') continue;
    const result = await runScript(entry.run, env);
    if (!(entry.exit ?? [0]).includes(result.exitCode ?? -1) || (entry.stdout && !new RegExp(entry.stdout, 'm').test(result.stdout))) {
      throw new Error(`setup step \`${command}\` (run as \`${entry.run}\`) failed with ${result.exitCode}:\n${result.all}`);
    }
  }
});

test.after.always(async () => {
  if (context?.env['PACKAGE']) await rm(context.env['PACKAGE'], { recursive: true, force: true });
});

// Runs `script` until its output matches, then stops it: for commands that run until stopped, like the plugin.
const runUntil = async (script: string, env: NodeJS.ProcessEnv, pattern: RegExp): Promise<{ matched: boolean; output: string }> => {
  const child = execa('bash', ['-c', `exec ${script}`], {
    cwd: repoRoot,
    env,
    reject: false,
    stdin: 'ignore',
    all: true,
    timeout: commandDeadlineMs,
  });
  let output = '';
  const matched = await new Promise<boolean>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) resolve(true);
    });
    void child.then(() => {
      resolve(false);
    });
  });
  child.kill('SIGTERM');
  await child;
  return { matched, output: output.slice(-4000) };
};

for (const [command, entry] of Object.entries(commands)) {
  if (entry.how === 'setup' || entry.how === 'not here') continue;
  test.serial(`${entry.how}: ${command}`, async (t) => {
    // Room for one more run after a release-only shortfall.
    t.timeout(2 * commandDeadlineMs + 30_000);
    const root = await mkdtemp(path.join(tmpdir(), 'ebpf-process-doc-'));
    t.teardown(() => rm(root, { recursive: true, force: true }));
    const env = { ...context!.env, ROOT: root };
    if (entry.how === 'until') {
      const { matched, output } = await runUntil(asWritten(command), env, new RegExp(entry.stdout ?? '', 'm'));
      t.true(matched, `no output matching /${entry.stdout}/ before it ended:\n${output}`);
      return;
    }
    const script = entry.how === 'instead' ? entry.run : asWritten(command);
    let result = await runScript(script, env);
    // A selftest's release-only shortfall on a loaded host gets one more run, as in the selftest tests.
    if (releaseOnlyShort(result.stdout)) {
      t.log(`release short on the first run; running again:\n${result.stdout}`);
      result = await runScript(script, env);
    }
    const ended = result.exitCode === 124 ? `did not finish within ${commandDeadlineSeconds} s` : `exit ${result.exitCode}`;
    t.true((entry.exit ?? [0]).includes(result.exitCode ?? -1), `${ended}:\n${result.all}`);
    if (entry.stdout) t.regex(result.stdout, new RegExp(entry.stdout, 'm'), result.all);
  });
}
