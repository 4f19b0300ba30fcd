// SPDX-License-Identifier: GPL-3.0-or-later
// Nothing lost under load (issue #24): both CPUs saturated by syscalls (`dd bs=1`), forks and threads while the
// selftest workload runs. The backends that hook sched_process_free raw (the helper; bpftrace 0.23 with kernel BTF,
// and 0.27 where the kernel hides available_filter_functions: src/plan/release-hook.ts) count every counter exactly, releases
// included; bpftrace 0.17 (perf tracepoint) may fall short only by the runs the kernel reports skipped, row by row
// (test/helpers/selftest-result.ts).
// System-wide (no filter), the load itself is the background: every counter must reach the workload's number
// (src/selftest/system-wide.ts), so a loss smaller than the background a window holds would not show there; the
// filtered runs are the exact ones. Counts above the background's allowance are logged, not failed: other work on a
// shared host bursts past what was measured around the window.
import { readFileSync } from 'node:fs';
import { dialectFor } from '../../src/backend/bpftrace/dialect.js';
import { rawReleaseChoice } from '../../src/plan/release-hook.js';
import { gatherFacts } from '../../src/kernel/gather.js';
import { catalogueNames } from '../../src/plan/catalogue.js';
import test, { type ExecutionContext } from 'ava';
import { execa, type ResultPromise } from 'execa';
import { bpftraceBuilds, buildName, buildProblem, configFor, type BpftraceBuild } from '../helpers/bpftrace-builds.js';
import { cli } from '../helpers/run-plugin.js';
import { assertNothingLostSystemWide, assertSelftestExact } from '../helpers/selftest-result.js';
import { withTempFile } from '../helpers/temp-file.js';

// Busy and idle jiffies of all CPUs (the first line of /proc/stat: user nice system idle iowait irq softirq steal).
const cpuTimes = (): { busy: number; idle: number } => {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = fields[3]! + fields[4]!;
  return { busy: fields.reduce((sum, value) => sum + value, 0) - idle, idle };
};

/** Two `dd bs=1` (a read and a write per byte), a fork loop and a thread loop, until stopped. */
const startLoad = () => {
  const children: ResultPromise[] = [
    ...[1, 2].map(() => execa('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=100000000000'], { reject: false })),
    execa('sh', ['-c', 'while :; do /bin/true; done'], { reject: false }),
    // Each worker is a thread that starts and ends at once; the next one starts when it has ended.
    execa(
      process.execPath,
      [
        '-e',
        'const { Worker } = require("node:worker_threads"); const spin = () => new Worker("", { eval: true }).on("exit", spin); spin();',
      ],
      { reject: false },
    ),
  ];
  const started = { at: Date.now(), cpu: cpuTimes() };
  return {
    stop: async (): Promise<{ seconds: number; idleShare: number }> => {
      const cpu = cpuTimes();
      children.forEach((child) => child.kill('SIGKILL'));
      await Promise.all(children);
      const busy = cpu.busy - started.cpu.busy;
      const idle = cpu.idle - started.cpu.idle;
      return { seconds: (Date.now() - started.at) / 1000, idleShare: idle / Math.max(1, busy + idle) };
    },
  };
};

/** A release the kernel did not skip: the selftest of a raw-hooked backend has no SKIPPED row. */
const assertNothingSkipped = (t: ExecutionContext, stdout: string): void => {
  t.deepEqual(
    stdout.split('\n').filter((line) => / SKIPPED /.test(line)),
    [],
    `the raw release hook lost nothing:\n${stdout}`,
  );
};

interface Run {
  readonly name: string;
  readonly args: readonly string[];
  readonly build?: BpftraceBuild;
  readonly raw: boolean;
  /** Unfiltered: the load is the background the window's counts must stay within (selftest --system-wide). */
  readonly systemWide?: boolean;
}

const facts = await gatherFacts(catalogueNames());
const runs: readonly Run[] = [
  { name: 'the helper, entry mode', args: ['--backend', 'helper', '--mode', 'entry'], raw: true },
  { name: 'the helper, return mode', args: ['--backend', 'helper', '--mode', 'return'], raw: true },
  ...bpftraceBuilds.map((build) => ({
    name: `${buildName(build)}, return mode`,
    args: ['--mode', 'return'],
    build,
    raw: rawReleaseChoice(dialectFor(build.version), { kernelBtf: facts.btf, filterFunctionsReadable: facts.filterFunctionsReadable }).raw,
  })),
  // System-wide, both backends in both modes: bpftrace is the host's (the plugin's default), on its dialect's hook.
  ...(['entry', 'return'] as const).flatMap((mode) => [
    {
      name: `the helper, ${mode} mode, system-wide`,
      args: ['--backend', 'helper', '--mode', mode, '--system-wide'],
      raw: true,
      systemWide: true,
    },
    {
      name: `the host's bpftrace, ${mode} mode, system-wide`,
      args: ['--backend', 'bpftrace', '--mode', mode, '--system-wide'],
      raw: facts.bpftrace
        ? rawReleaseChoice(dialectFor(facts.bpftrace.version), {
            kernelBtf: facts.btf,
            filterFunctionsReadable: facts.filterFunctionsReadable,
          }).raw
        : false,
      systemWide: true,
    },
  ]),
];

const selftest = async (run: Run) => {
  const command = (extra: readonly string[]) => execa(cli, ['selftest', ...run.args, ...extra, '--rounds', '2'], { reject: false });
  if (!run.build) return command([]);
  let result: Awaited<ReturnType<typeof command>> | undefined;
  await withTempFile('ebpf_process.conf', configFor(run.build), async (config) => {
    result = await command(['--config', config]);
  });
  return result!;
};

// One test: the load is started once and must saturate both CPUs for the whole series, at least 60 s.
test.serial(
  'under two dd bs=1, a fork loop and a thread loop, the selftest counts exactly with every backend, ' +
    'and system-wide within the load as background; only bpftrace on the perf tracepoint (0.17 here) may skip ' +
    'releases, as the kernel reports',
  async (t) => {
    t.timeout(900_000); // nine selftests took 545 s at a load average of 22 with a dd loop beside
    const problems = (await Promise.all(bpftraceBuilds.map(buildProblem))).filter(Boolean);
    t.deepEqual(problems, [], 'every bpftrace build of the matrix is there');
    if (problems.length) return;
    const load = startLoad();
    const started = Date.now();
    let stopped: { seconds: number; idleShare: number } | undefined;
    try {
      // Every backend once, and round again until the load has run 60 s.
      for (let index = 0; index < runs.length || Date.now() - started < 60_000; index += 1) {
        const run = runs[index % runs.length]!;
        const result = await selftest(run);
        if (run.systemWide) {
          const above = assertNothingLostSystemWide(t, result.stdout);
          if (above.length) t.log(`${run.name}: above the background measured around the window:\n${above.join('\n')}`);
        } else {
          t.is(result.exitCode, 0, `${run.name}:\n${result.stdout}\n${result.stderr}`);
          assertSelftestExact(t, result.stdout);
        }
        if (run.raw) assertNothingSkipped(t, result.stdout);
        t.log(`${run.name}: ${result.stdout.split('\n').find((line) => line.startsWith('Result:'))}`);
      }
    } finally {
      stopped = await load.stop();
    }
    t.log(`load: ${stopped.seconds.toFixed(0)} s, CPUs idle ${(stopped.idleShare * 100).toFixed(1)}% of the time`);
    t.true(stopped.seconds >= 60, `the load ran ${stopped.seconds.toFixed(0)} s, at least 60 s were asked`);
    t.true(stopped.idleShare < 0.05, `both CPUs saturated: idle ${(stopped.idleShare * 100).toFixed(1)}% of the time`);
  },
);
