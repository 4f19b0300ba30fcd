// SPDX-License-Identifier: GPL-3.0-or-later
// Self monitoring with both backends on this kernel: a known number of reads and writes shows up in the
// vfs family's program runs, with a kernel time per event and the CPU of the programs, node and the backend;
// releases bpftrace loses to the kernel's recursion guard show up as skipped, as many as the kernel counts, on
// ebpf.plugin_health without self monitoring too.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { selfCostCharts } from '../../src/charts/catalogue.js';
import { processCpuNs } from '../../src/self-cost/process-cpu.js';
import { childrenOf, skippedRuns } from '../helpers/kernel-skips.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { cli } from '../helpers/run-plugin.js';

const waitFor = async (predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const statsReaders = (): string[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return command.includes('--stats-of') || command.includes('--skips-of') ? [`${pid}: ${command.join(' ')}`] : [];
      } catch {
        return [];
      }
    });

const bytes = 100_000;

// The plugin, with self monitoring on unless told, its output gathered; stop() ends it and removes its config.
const startPlugin = (backend: 'helper' | 'bpftrace', selfMonitoring = true) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-self-'));
  const config = path.join(dir, 'ebpf_process.conf');
  writeFileSync(config, `[global]\nself monitoring = ${selfMonitoring ? 'yes' : 'no'}\n`);
  const plugin = execa(process.execPath, [cli, '1', '--backend', backend, '--config', config], { reject: false });
  let stdout = '';
  plugin.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return {
    pid: plugin.pid!,
    output: () => stdout,
    updatesOf: (chart: string) => stdout.split(`BEGIN ebpf.${chart}`).length - 1,
    stop: async () => {
      plugin.kill('SIGTERM');
      await plugin;
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

// CPU in /proc's ticks: node, and the backend's processes (bpftrace and its statistics reader, or the helper).
const cpuOf = (pids: readonly number[]): bigint => pids.reduce((total, pid) => total + (processCpuNs(pid) ?? 0n), 0n);

const selfMonitoringTest = test.macro(async (t, backend: 'helper' | 'bpftrace') => {
  const plugin = startPlugin(backend);
  const lastSelf = (chart: string) => replayProtocol(plugin.output()).get(`ebpf.${chart}`)?.updates.at(-1)?.values;
  const vfsRuns = () => lastSelf('self_events')?.get('vfs');
  let before: bigint | undefined;
  try {
    await waitFor(() => vfsRuns() !== undefined, 'the first program statistics');
    before = vfsRuns();
    // One read(2) and one write(2) per byte.
    await execa('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', `count=${bytes}`]);
    // A backend using 0.2% of a core shows in /proc only every few seconds (10 ms ticks): the test waits until
    // both have used CPU, then brackets the charted totals between /proc's reads before and after them.
    const backendPids = childrenOf(plugin.pid);
    await waitFor(
      () => cpuOf([plugin.pid]) > 0n && cpuOf(backendPids) > 0n,
      `CPU of node and the backend in /proc (backend ${backendPids.join(',')})`,
    );
    const pidsOf = { node: [plugin.pid], backend: backendPids };
    const readBefore = { node: cpuOf(pidsOf.node), backend: cpuOf(pidsOf.backend) };
    // The second update after the first read was sampled after it, and before the second read.
    const seen = plugin.updatesOf('self_cpu');
    await waitFor(() => plugin.updatesOf('self_cpu') >= seen + 2, 'two updates after the workload');
    const charted = lastSelf('self_cpu')!;
    for (const id of ['node', 'backend'] as const) {
      const [low, high] = [readBefore[id], cpuOf(pidsOf[id])];
      t.true(
        low <= charted.get(id)! && charted.get(id)! <= high,
        `${id} CPU: charted ${charted.get(id)} ns, /proc read ${low} then ${high}`,
      );
    }
  } finally {
    await plugin.stop();
  }
  const charts = replayProtocol(plugin.output());
  for (const chart of selfCostCharts) {
    const parsed = charts.get(`ebpf.${chart.id}`);
    t.deepEqual(
      [...(parsed?.dimensions.keys() ?? [])],
      chart.dimensions.map((dimension) => dimension.id),
      chart.id,
    );
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
  t.deepEqual(statsReaders(), [], 'no --stats-of reader outlives the plugin');
});

test.serial('the helper reports its own programs', selfMonitoringTest, 'helper');
test.serial("the helper's --stats-of mode reports bpftrace's programs", selfMonitoringTest, 'bpftrace');

// sched_process_free fires from an RCU callback in softirq: as bpftrace's perf tracepoint it is skipped whenever it
// interrupts one of the collector's syscall programs. Many short processes beside a syscall-heavy one make that
// happen within seconds on this 2-core VM; the charts must then say as many as the kernel counts for bpftrace:
// ebpf.plugin_health always (read with --skips-of), ebpf.self_skipped per family with self monitoring.
const skippedTest = test.macro(async (t, selfMonitoring: boolean) => {
  const plugin = startPlugin('bpftrace', selfMonitoring);
  const last = (chart: string) => replayProtocol(plugin.output()).get(`ebpf.${chart}`)?.updates.at(-1)?.values;
  const total = (values: ReadonlyMap<string, bigint> | undefined) => [...(values?.values() ?? [])].reduce((sum, value) => sum + value, 0n);
  // What each chart says of the skipped runs.
  const charted = () => ({
    plugin_health: last('plugin_health')?.get('skipped_events') ?? 0n,
    ...(selfMonitoring ? { self_skipped: total(last('self_skipped')) } : {}),
  });
  const load = [
    execa('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=100000000'], { reject: false }),
    execa('sh', ['-c', 'while :; do /bin/true; done'], { reject: false }),
  ];
  const stopLoad = async () => {
    load.forEach((child) => child.kill('SIGKILL'));
    await Promise.all(load);
  };
  try {
    await waitFor(() => last('plugin_health') !== undefined, 'the first update');
    const bpftrace = childrenOf(plugin.pid).find((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'bpftrace');
    t.truthy(bpftrace, 'bpftrace runs under the plugin');
    await waitFor(
      () => skippedRuns(bpftrace) > 0 && Object.values(charted()).every((value) => value > 0n),
      `a release skipped by the kernel (${skippedRuns(bpftrace)} so far), ` +
        `and charted (${JSON.stringify(charted(), (_, value: unknown) => String(value))})`,
    );
    await stopLoad();
    // The kernel's count read before and after the charts': the statistics of three updates later were read after
    // the first, those of the last update before the second.
    const before = skippedRuns(bpftrace);
    const seen = plugin.updatesOf('plugin_health');
    await waitFor(() => plugin.updatesOf('plugin_health') >= seen + 3, 'three updates after the load');
    const shown = charted();
    const after = skippedRuns(bpftrace);
    for (const [chart, value] of Object.entries(shown)) {
      t.true(BigInt(before) <= value && value <= BigInt(after), `${chart}: charted ${value}, the kernel counted ${before} then ${after}`);
    }
    if (selfMonitoring) t.true(last('self_skipped')!.get('process')! > 0n, "the skipped runs are the process family's (releases)");
  } finally {
    await stopLoad();
    await plugin.stop();
  }
  t.deepEqual(statsReaders(), [], 'no statistics reader outlives the plugin');
});

test.serial(
  "bpftrace's releases skipped by the kernel are charted in ebpf.plugin_health without self monitoring, as many as the kernel counts",
  skippedTest,
  false,
);
test.serial('with self monitoring they are charted in ebpf.self_skipped too, per family', skippedTest, true);
