// SPDX-License-Identifier: GPL-3.0-or-later
// A host without bpftrace: the plugin draws every chart of the mode through the compiled helper.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { chartsForMode } from '../../src/charts/catalogue.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { cli } from '../helpers/run-plugin.js';

test('with no bpftrace on PATH the helper backend charts every chart of return mode', async (t) => {
  const emptyPath = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-nopath-'));
  try {
    const plugin = execa(process.execPath, [cli, '1', '--mode', 'return'], { env: { PATH: emptyPath }, extendEnv: false, reject: false });
    let stdout = '';
    plugin.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const deadline = Date.now() + 30_000;
    while (stdout.split('BEGIN ebpf.task_error').length < 4 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    plugin.kill('SIGTERM');
    const result = await plugin;
    const charts = replayProtocol(stdout);
    for (const chart of chartsForMode('return')) {
      const parsed = charts.get(`ebpf.${chart.id}`);
      t.is(parsed?.labels.get('backend'), 'helper', chart.id);
      t.true((parsed?.updates.length ?? 0) >= 3, `${chart.id} was updated`);
    }
    t.true(charts.get('ebpf.io')!.updates.at(-1)!.values.get('read')! > 0n, "the host's reads were counted");
    // This kernel refuses fentry: the helper's --probe says so before the plan, so nothing is tried and refused.
    t.notRegex(String(result.stderr), /falling back|attach failed/, 'tracepoints planned from the start');
  } finally {
    rmSync(emptyPath, { recursive: true, force: true });
  }
});
