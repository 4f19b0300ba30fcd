// SPDX-License-Identifier: GPL-3.0-or-later
// check and dry-run name the real cause of a missing bpftrace (issue 26): a `bpftrace path` that is wrong is not
// "bpftrace not installed", and a configured `backend = bpftrace` that cannot run says why another is shown.
// tracefs that the netdata user cannot read: check-unprivileged.test.ts.
import test from 'ava';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../helpers/run-plugin.js';

const configWith = async (t: import('ava').ExecutionContext, lines: string): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-causes-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'ebpf_process.conf');
  await writeFile(config, `[global]\n${lines}\n`);
  return config;
};

const run = (args: readonly string[]) => execa(process.execPath, [cli, ...args], { reject: false, stdin: 'ignore' });

// /usr/bin/true runs and prints nothing: a path to something that is not bpftrace.
for (const [bad, why] of [
  ['/usr/local/sbin/no-bpftrace', 'does not exist'],
  ['/usr/bin/true', 'printed no bpftrace version'],
] as const) {
  test(`check: \`bpftrace path = ${bad}\` is named with what is wrong with it, not as bpftrace missing`, async (t) => {
    const config = await configWith(t, `bpftrace path = ${bad}`);
    const { stdout } = await run(['check', '--config', config]);
    t.regex(
      stdout,
      new RegExp(
        `^warn +bpftrace +\`bpftrace path = ${bad}\` in ${config}: ${bad} ${why}\\n +` +
          'fix: correct `bpftrace path`, or remove it to use /usr/bin/bpftrace \\(the first on PATH\\)$',
        'm',
      ),
      stdout,
    );
    t.notRegex(stdout, /apt-get install bpftrace/, stdout);
    t.regex(stdout, new RegExp(`^warn +backend bpftrace +\`bpftrace path = ${bad}\` in ${config}: ${bad} ${why}$`, 'm'), stdout);
  });
}

test('dry-run: `backend = bpftrace` with a bad path says why the helper is shown', async (t) => {
  const config = await configWith(t, 'backend = bpftrace\nbpftrace path = /usr/local/sbin/no-bpftrace');
  const { stdout, stderr } = await run(['dry-run', '--config', config]);
  t.regex(
    stdout,
    new RegExp(
      `^backend: helper \\(backend = bpftrace cannot run: \`bpftrace path = /usr/local/sbin/no-bpftrace\` in ${config}: ` +
        '/usr/local/sbin/no-bpftrace does not exist; using the helper at \\S+\\)$',
      'm',
    ),
    `${stdout}\n${stderr}`,
  );
});
