// SPDX-License-Identifier: GPL-3.0-or-later
// `selftest` on this host: the workload's numbers and the counted ones agree exactly, for both backends and modes.
import test from 'ava';
import { execa } from 'execa';
import { cli } from '../helpers/run-plugin.js';

const selftest = test.macro(async (t, backend: string, mode: string) => {
  const result = await execa(cli, ['selftest', '--backend', backend, '--mode', mode, '--rounds', '2'], { reject: false });
  t.is(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  t.regex(result.stdout, new RegExp(`mode ${mode}, backend ${backend}`));
  t.regex(result.stdout, /Result: every counter equals what the workload did\./);
  t.notRegex(result.stdout, /MISMATCH/);
  const rows = result.stdout.split('\n').filter((line) => / ok {6}tracepoint:/.test(line));
  t.is(rows.length, mode === 'entry' ? 11 : 18, 'every counter of the mode was compared');
});

for (const backend of ['bpftrace', 'helper']) {
  for (const mode of ['entry', 'return']) test.serial(`selftest with ${backend} in ${mode} mode counts the workload exactly`, selftest, backend, mode);
}

test('selftest refuses a bad --rounds with the accepted range', async (t) => {
  const result = await execa(cli, ['selftest', '--rounds', '0'], { reject: false });
  t.not(result.exitCode, 0);
  t.regex(result.stderr, /--rounds "0": expected 1-10000/);
});
