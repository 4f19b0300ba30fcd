// SPDX-License-Identifier: GPL-3.0-or-later
// SIGKILL the real backend ten times at random moments: the plugin restarts it, the charts go on, the totals
// never go back, and no second shows more opens than the workload can make (no spike in Netdata).
import test from 'ava';
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { attachedBackend, startPlugin, waitFor } from './support/plugin-process.js';
import { seededRandom } from './support/seeded-random.js';

const workloadScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support/steady-opens.mjs');
const kills = 10;
const opensPerTick = 20;
/** The workload's ceiling: opensPerTick every 50 ms. Timer jitter may bunch ticks, hence the margin. */
const maxOpensPerSecond = opensPerTick * 20 * 1.5;

const survivesKills = test.macro({
  async exec(t, backend: 'bpftrace' | 'helper', seed: number) {
    const random = seededRandom(seed);
    const workload = execa(process.execPath, [workloadScript, String(opensPerTick)], { stdin: 'pipe', buffer: false });
    let workloadOut = '';
    workload.stdout!.on('data', (chunk: Buffer) => {
      workloadOut += chunk.toString();
    });
    await waitFor(() => workloadOut.includes('\n'), 'the workload pid');
    const plugin = startPlugin(['1', '--backend', backend, '--mode', 'return', '--pid', workloadOut.trim()]);
    const blocks = () => plugin.stdout().split('BEGIN ebpf.file_descriptor').length - 1;
    try {
      for (let kill = 1; kill <= kills; kill += 1) {
        const seen = blocks();
        await waitFor(() => blocks() > seen, `data from backend run ${kill}`);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1500)));
        // Looked up only now: a first run of the helper may have been replaced after a refused attach point.
        process.kill(await attachedBackend(plugin.child.pid!, backend === 'bpftrace' ? ['bpftrace'] : ['ebpf-process-he']), 'SIGKILL');
        await waitFor(() => plugin.stderr().split('restarting in').length - 1 >= kill, `restart ${kill} announced`);
      }
      const seen = blocks();
      await waitFor(() => blocks() >= seen + 2, 'two samples after the last restart');
    } finally {
      plugin.child.kill('SIGTERM');
      workload.stdin!.end();
    }
    await plugin.child;
    await workload;
    const workloadOpens = BigInt(workloadOut.trim().split('\n')[1]!);

    const charts = replayProtocol(plugin.stdout());
    const updates = charts.get('ebpf.file_descriptor')!.updates;
    for (const [index, update] of updates.entries()) {
      if (index === 0) continue;
      const delta = update.values.get('open')! - updates[index - 1]!.values.get('open')!;
      t.true(delta >= 0n, `open total went back at update ${index}`);
      const perSecond = Number(delta) / (update.microseconds! / 1e6);
      t.true(
        perSecond <= maxOpensPerSecond,
        `update ${index}: ${perSecond.toFixed(0)} opens/s, the workload makes at most ${maxOpensPerSecond}`,
      );
    }
    t.true(updates.at(-1)!.values.get('open')! <= workloadOpens, 'the plugin counted no more opens than the workload made');
    t.true(updates.at(-1)!.values.get('open')! > 0n);
    // Re-plans after a refused attach point (the helper's fexit on this host) are restarts too.
    const replans = plugin
      .stderr()
      .split('\n')
      .filter((line) => line.includes('falling back:')).length;
    const restarts = charts.get('ebpf.plugin_health')!.updates.at(-1)!.values.get('restarts')!;
    t.true(
      restarts >= BigInt(kills) && restarts <= BigInt(kills + replans),
      `ebpf.plugin_health counted ${restarts} restarts for ${kills} kills`,
    );
    const restartLines = plugin
      .stderr()
      .split('\n')
      .filter((line) => line.includes('restarting in'));
    t.is(restartLines.length, kills, 'one stderr line per restart');
    t.true(restartLines.every((line) => line.includes('was killed by SIGKILL') && line.includes('totals are kept')));
    t.notRegex(plugin.stderr(), /gave up|DISABLE/);
  },
  title: (_title, backend, seed) =>
    `${backend} killed ${kills} times at random moments (seed ${seed}) restarts with no spike and no lost total`,
});

test.serial(survivesKills, 'bpftrace', 8);
test.serial(survivesKills, 'helper', 8);
