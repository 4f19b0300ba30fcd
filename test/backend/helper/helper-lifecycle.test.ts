// SPDX-License-Identifier: GPL-3.0-or-later
// The helper never outlives the plugin: it ends when its parent dies (even by SIGKILL), when its stdout
// loses its reader and when its stdin closes, and leaves no BPF program of ours loaded.
import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { helperCommand } from '../../../src/backend/helper/helper-command.js';
import { gatherFacts } from '../../../src/kernel/gather.js';
import { catalogueNames } from '../../../src/plan/catalogue.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import { buildHelper } from './support/build.js';
import { heldProgramIds, loadedProgramIds } from '../../reliability/support/plugin-process.js';

const parentScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/parent.mjs');

const tracepointCommand = async () => {
  await buildHelper();
  const plan = planProbes(await gatherFacts(catalogueNames()), { mode: 'return', tracing: 'tracepoint', backend: 'helper' });
  return helperCommand(plan, { intervalMs: 100 });
};

// Conditions are polled until true; the test's own timeout bounds the wait.
const until = async (condition: () => Promise<boolean>): Promise<void> => {
  while (!(await condition())) await sleep(50);
};

// Gone, or a zombie waiting for a reaper: either way it holds no fd any more.
const exited = async (pid: number): Promise<boolean> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat === '' || / Z /.test(stat);
};

test('SIGKILL of the parent ends the helper and unloads its BPF programs', async (t) => {
  const { file, args } = await tracepointCommand();
  const output = path.join(await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-helper-')), 'stdout.ndjson');
  const parent = spawn(process.execPath, [parentScript, output, file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
  const helperPid = Number(line.toString().trim());
  await until(async () => (await readFile(output, 'utf8')).includes('"printf"'));

  const ours = heldProgramIds(helperPid);
  t.true(ours.length > 0, 'the running helper holds its programs');
  const before = await loadedProgramIds();
  t.true(
    ours.every((id) => before.has(id)),
    'bpftool lists them while it runs',
  );

  parent.kill('SIGKILL');
  await once(parent, 'exit');
  await until(() => exited(helperPid));
  await until(async () => {
    const after = await loadedProgramIds();
    return ours.every((id) => !after.has(id));
  });
  t.pass('no helper and none of its programs remain');
});

const endsWhen = test.macro(async (t, close: 'stdout' | 'stdin') => {
  const { file, args } = await tracepointCommand();
  const helper = spawn(file, args, { stdio: [close === 'stdin' ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const exit = once(helper, 'exit');
  await once(helper.stdout!, 'data');
  if (close === 'stdout') helper.stdout!.destroy();
  else helper.stdin!.end();
  const [code, signal] = (await exit) as [number | null, string | null];
  t.is(signal, null);
  t.is(code, 0);
});

test("closing the helper's stdout ends it", endsWhen, 'stdout');
test("closing the helper's stdin ends it", endsWhen, 'stdin');
