// SPDX-License-Identifier: GPL-3.0-or-later
// Self monitoring with both backends on this kernel: a known number of reads and writes shows up in the
// vfs family's program runs, with a kernel time per event and the CPU of the programs, node and the backend.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { selfCostCharts } from '../../src/charts/catalogue.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { cli } from '../helpers/run-plugin.js';

const waitFor = async (predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const statsReaders = (): string[] => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return command.includes('--stats-of') ? [`${pid}: ${command.join(' ')}`] : [];
  } catch {
    return [];
  }
});

const bytes = 100_000;

const selfMonitoringTest = test.macro(async (t, backend: 'helper' | 'bpftrace') => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-self-'));
  const config = path.join(dir, 'ebpf_process.conf');
  writeFileSync(config, '[global]\nself monitoring = yes\n');
  const plugin = execa(process.execPath, [cli, '1', '--backend', backend, '--config', config], { reject: false });
  let stdout = '';
  plugin.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  const updates = () => stdout.split('BEGIN ebpf.self_cpu').length - 1;
  const vfsRuns = () => replayProtocol(stdout).get('ebpf.self_events')?.updates.at(-1)?.values.get('vfs');
  let before: bigint | undefined;
  try {
    await waitFor(() => vfsRuns() !== undefined, 'the first program statistics');
    before = vfsRuns();
    // One read(2) and one write(2) per byte.
    await execa('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', `count=${bytes}`]);
    const seen = updates();
    await waitFor(() => updates() >= seen + 2, 'two updates after the workload');
  } finally {
    plugin.kill('SIGTERM');
    await plugin;
    rmSync(dir, { recursive: true, force: true });
  }
  const charts = replayProtocol(stdout);
  for (const chart of selfCostCharts) {
    const parsed = charts.get(`ebpf.${chart.id}`);
    t.deepEqual([...(parsed?.dimensions.keys() ?? [])], chart.dimensions.map((dimension) => dimension.id), chart.id);
    t.is(parsed?.labels.get('backend'), backend);
  }
  const runs = vfsRuns()! - before!;
  t.true(runs >= BigInt(2 * bytes), `the vfs programs ran for every read and write of dd (${runs} runs)`);
  const perEvent = charts.get('ebpf.self_cost_per_event')!.updates.flatMap((update) => [...update.values.values()]);
  t.true(perEvent.length > 0 && perEvent.every((ns) => ns > 0n && ns < 100_000n), `ns per event measured: ${perEvent.join(' ')}`);
  const cpu = charts.get('ebpf.self_cpu')!;
  t.is(cpu.dimensions.get('kernel')?.[4], '10000000', 'ns per second / 10^7 = percent of a core');
  const kernel = cpu.updates.flatMap((update) => update.values.get('kernel') ?? []);
  t.true(kernel.at(-1)! > kernel[0]!, 'the programs took kernel time');
  const last = cpu.updates.at(-1)!.values;
  t.true(last.get('node')! > 0n && last.get('backend')! > 0n, 'node and the backend used CPU');
  t.deepEqual(statsReaders(), [], 'no --stats-of reader outlives the plugin');
});

test.serial('the helper reports its own programs', selfMonitoringTest, 'helper');
test.serial('the helper\'s --stats-of mode reports bpftrace\'s programs', selfMonitoringTest, 'bpftrace');
