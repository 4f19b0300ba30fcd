// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run soak`: the plugin under a high event rate for 10 minutes (SOAK_SECONDS to change it). Fails when
// its memory or CPU grows, a total goes back, or lost events are not charted in ebpf.plugin_health.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { startPlugin, waitFor } from '../reliability/support/plugin-process.js';
import { statFields } from '../../src/self-cost/proc-stat.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const workloadScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '../reliability/support/steady-opens.mjs');
const ticksPerSecond = 100; // /proc/<pid>/stat times are in clock ticks (USER_HZ)

const usage = (pid: number): { rssKb: number; cpuTicks: number } => {
  const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const fields = statFields(pid) ?? [];
  return { rssKb, cpuTicks: Number(fields[11]) + Number(fields[12]) };
};

const average = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

const workloads = [1, 2].map(() => execa(process.execPath, [workloadScript, '2000'], { stdin: 'pipe', buffer: false }));
const plugin = startPlugin(['1', '--mode', 'return']);
const samples: Array<{ rssKb: number; cpuPercent: number }> = [];
const failures: string[] = [];
try {
  await waitFor(() => plugin.stdout().includes('BEGIN ebpf.file_descriptor'), 'the first data');
  let before = usage(plugin.child.pid!);
  for (let elapsed = 0; elapsed < seconds; elapsed += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const now = usage(plugin.child.pid!);
    samples.push({ rssKb: now.rssKb, cpuPercent: ((now.cpuTicks - before.cpuTicks) / ticksPerSecond / 10) * 100 });
    before = now;
    console.log(`${elapsed + 10}s rss ${now.rssKb} kB cpu ${samples.at(-1)!.cpuPercent.toFixed(1)}%`);
  }
} finally {
  plugin.child.kill('SIGTERM');
  workloads.forEach((workload) => workload.stdin!.end());
}
await plugin.child;
await Promise.all(workloads);

const quarter = Math.max(1, Math.floor(samples.length / 4));
const [firstRss, lastRss] = [average(samples.slice(0, quarter).map((s) => s.rssKb)), average(samples.slice(-quarter).map((s) => s.rssKb))];
const [firstCpu, lastCpu] = [
  average(samples.slice(0, quarter).map((s) => s.cpuPercent)),
  average(samples.slice(-quarter).map((s) => s.cpuPercent)),
];
if (lastRss > firstRss * 1.25 + 8192) failures.push(`RSS grew from ${firstRss.toFixed(0)} kB to ${lastRss.toFixed(0)} kB`);
if (lastCpu > firstCpu * 1.5 + 2) failures.push(`CPU grew from ${firstCpu.toFixed(1)}% to ${lastCpu.toFixed(1)}%`);

const charts = replayProtocol(plugin.stdout());
for (const [id, chart] of charts) {
  if (chart.words[7] !== 'incremental' && ![...chart.dimensions.values()].every((dimension) => dimension[2] === 'incremental')) continue;
  chart.updates.forEach((update, index) => {
    for (const [dimension, value] of update.values) {
      const previous = chart.updates[index - 1]?.values.get(dimension);
      if (previous !== undefined && value < previous) failures.push(`${id} ${dimension} went back from ${previous} to ${value}`);
    }
  });
}
const health = charts.get('ebpf.plugin_health')?.updates.at(-1)?.values;
if (!health?.has('lost_events')) failures.push('ebpf.plugin_health has no lost_events value');
const lostLines = plugin
  .stderr()
  .split('\n')
  .filter((line) => line.includes('lost')).length;
console.log(
  `RSS ${firstRss.toFixed(0)} -> ${lastRss.toFixed(0)} kB, CPU ${firstCpu.toFixed(1)} -> ${lastCpu.toFixed(1)}%, ` +
    `opens ${charts.get('ebpf.file_descriptor')?.updates.at(-1)?.values.get('open')}, lost events charted ${health?.get('lost_events')} ` +
    `(${lostLines} stderr lines), restarts ${health?.get('restarts')}, parse errors ${health?.get('parse_errors')}`,
);
if (failures.length) {
  console.error(`soak FAILED:\n${[...new Set(failures)].slice(0, 20).join('\n')}`);
  process.exitCode = 1;
} else console.log('soak passed');
