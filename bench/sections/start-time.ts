// SPDX-License-Identifier: GPL-3.0-or-later
// Start: from spawn to the plugin's first CHART line and first data block (BEGIN), per backend, and the
// parts that explain them: node's own start, and bpftrace alone on the plugin's script (to its
// attached_probes line and its first map print), the helper told to skip the refused fentry attempt, and
// the peak RSS of a node that loads nothing. Also the stop time (SIGTERM until all are gone).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { endTree, track } from '../lib/children.js';
import { onLines } from '../lib/lines.js';
import { median } from '../lib/median.js';
import { pluginCli, pluginNodeFlags } from '../lib/native.js';
import { startPlugin, type Backend } from '../lib/plugin-process.js';

export interface StartVariant {
  readonly label: string;
  readonly backend: Backend;
  readonly extraArgs: readonly string[];
}

export interface StartRow {
  readonly label: string;
  readonly backend: Backend;
  readonly firstChartMs: number;
  readonly firstDataMs: number;
  readonly stopMs: number;
}

export interface StartResult {
  readonly perVariant: readonly StartRow[];
  readonly nodeVersionMs: number;
  readonly emptyNodePeakRssMiB: number;
  readonly bpftraceAttachedMs: number;
  readonly bpftraceFirstMapMs: number;
}

const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};

/** bpftrace on the plugin's own script: milliseconds to attached_probes and to the first map line. */
const bpftraceAlone = async (script: string): Promise<[number, number]> => {
  const start = performance.now();
  const child = execa('bpftrace', ['-f', 'json', script], { stdout: 'pipe', stderr: 'ignore', buffer: false, reject: false });
  if (child.pid === undefined) throw new Error('cannot start bpftrace');
  track(child.pid);
  try {
    return await new Promise<[number, number]>((resolve, reject) => {
      let attached = Number.NaN;
      onLines(child.stdout, (line) => {
        if (line.includes('"attached_probes"')) attached = performance.now() - start;
        if (line.includes('"type": "map"')) resolve([attached, performance.now() - start]);
      });
      void child.then(() => reject(new Error('bpftrace exited before printing a map')));
    });
  } finally {
    await endTree(child.pid);
  }
};

/** The plain backends, and the helper once more with the fentry attempt skipped (refused on some hosts). */
export const startVariants = (backends: readonly Backend[]): StartVariant[] => [
  ...backends.map((backend) => ({ label: backend, backend, extraArgs: [] })),
  ...(backends.includes('helper')
    ? [{ label: 'helper, --probe-type tracepoint', backend: 'helper' as const, extraArgs: ['--probe-type', 'tracepoint'] }]
    : []),
];

// A node that only reports its own VmHWM: the floor under the plugin's RSS.
const emptyNodePeakRss = async (): Promise<number> => {
  const { stdout } = await execa('node', [
    ...pluginNodeFlags,
    '-e',
    'process.stdout.write(require("fs").readFileSync("/proc/self/status", "utf8"))',
  ]);
  return Number(/^VmHWM:\s+(\d+)/m.exec(stdout)?.[1]) / 1024;
};

export const measureStart = async (reps: number, backends: readonly Backend[], log: (line: string) => void): Promise<StartResult> => {
  const variants = startVariants(backends);
  const runs: StartRow[] = [];
  const nodeRuns: number[] = [];
  const bpftraceRuns: [number, number][] = [];
  const dir = await mkdtemp(join(tmpdir(), 'ebpf-process-bench-'));
  try {
    const script = join(dir, 'collector.bt');
    await writeFile(script, (await execa('node', [pluginCli, 'script', '--json-output'])).stdout);
    for (let rep = 0; rep < reps; rep++) {
      log(`start: round ${rep + 1}/${reps}`);
      nodeRuns.push(await timed(() => execa('node', [...pluginNodeFlags, pluginCli, '--version'])));
      bpftraceRuns.push(await bpftraceAlone(script));
      for (const variant of variants) {
        const plugin = await startPlugin(variant.backend, 'entry', variant.extraArgs);
        runs.push({
          label: variant.label,
          backend: variant.backend,
          firstChartMs: plugin.firstChartMs,
          firstDataMs: plugin.firstDataMs,
          stopMs: await plugin.stop(),
        });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const of = (label: string, key: 'firstChartMs' | 'firstDataMs' | 'stopMs') =>
    median(runs.filter((run) => run.label === label).map((run) => run[key]));
  return {
    perVariant: variants.map(({ label, backend }) => ({
      label,
      backend,
      firstChartMs: of(label, 'firstChartMs'),
      firstDataMs: of(label, 'firstDataMs'),
      stopMs: of(label, 'stopMs'),
    })),
    nodeVersionMs: median(nodeRuns),
    emptyNodePeakRssMiB: await emptyNodePeakRss(),
    bpftraceAttachedMs: median(bpftraceRuns.map(([attached]) => attached)),
    bpftraceFirstMapMs: median(bpftraceRuns.map(([, first]) => first)),
  };
};
