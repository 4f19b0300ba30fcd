// SPDX-License-Identifier: GPL-3.0-or-later
// The built plugin with a bpftrace that keeps dying falls back to the real helper and charts on. The policy
// step by step, on fixture backends: failure-policy.unit.test.ts.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { startPlugin, waitFor } from './support/plugin-process.js';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bin');

test('the plugin falls back from a dying bpftrace to the helper and charts on', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-test-'));
  const config = path.join(dir, 'ebpf_process.conf');
  await writeFile(config, `[global]\nbpftrace path = ${path.join(bin, 'dying-bpftrace')}\n`, { mode: 0o600 });
  const plugin = startPlugin(['1', '--config', config]);
  try {
    await waitFor(() => plugin.stdout().includes('BEGIN ebpf.file_descriptor'), 'data from the helper', 90_000);
  } finally {
    plugin.child.kill('SIGTERM');
    await plugin.child;
    await rm(dir, { recursive: true });
  }
  const lines = plugin.stderr().split('\n');
  t.is(lines.filter((line) => line.includes('restarting in')).length, 3);
  t.true(lines.some((line) => /bpftrace backend gave up .*falling back to the helper backend/.test(line)));
  t.regex(replayProtocol(plugin.stdout()).get('ebpf.file_descriptor')!.words.join(' '), /file_descriptor/);
  t.notRegex(plugin.stdout(), /DISABLE/);
});
