// SPDX-License-Identifier: GPL-3.0-or-later
// Every real bpftrace of the matrix (Debian 12's 0.17, Debian 13's 0.23, sid's 0.27; test/helpers/bpftrace-builds.ts),
// one table: it compiles the golden scripts of its dialect, the plugin pointed at it with `bpftrace path` counts the
// selftest workload exactly in both modes, and `selftest` passes with it. A build that is missing fails.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { dialectFor } from '../../src/backend/bpftrace/dialect.js';
import { generateScript } from '../../src/backend/bpftrace/generate-script.js';
import { chartsForMode } from '../../src/charts/catalogue.js';
import { gatherFacts } from '../../src/kernel/gather.js';
import { kernelFactsSchema } from '../../src/kernel/facts.js';
import type { Mode } from '../../src/plan/counters.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import { catalogueNames, cgroupEvents } from '../../src/plan/catalogue.js';
import { buildWorkload } from '../../src/selftest/build-workload.js';
import { expectCounts } from '../../src/selftest/expected.js';
import { launchWorkload } from '../../src/selftest/run-workload.js';
import { goldenScripts, hostScripts } from '../backend/bpftrace/golden-scripts.js';
import { assertRelease, childrenOf, serialTestUnless, skippedRuns } from '../helpers/kernel-skips.js';
import { assertSelftestExact, releaseOnlyShort } from '../helpers/selftest-result.js';
import {
  bpftraceBuilds,
  buildForDialect,
  buildName,
  buildProblem,
  compileOnly,
  configFor,
  minorOf,
  type BpftraceBuild,
} from '../helpers/bpftrace-builds.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { cli, repoRoot } from '../helpers/run-plugin.js';

const usesTrampolines = (script: string): boolean => /^(kfunc|kretfunc|fentry|fexit):/m.test(script);
// Measured: up to 0.23 bpftrace resolves kfunc/fentry targets only through available_filter_functions, which this
// kernel does not let even root read (and 0.23 has no --traceable-functions to hand them over).
const hiddenTargets = (build: BpftraceBuild): string =>
  `${buildName(build)} resolves fentry/kfunc targets only through available_filter_functions, which this kernel hides`;

/** Fails the test (never skips it) when the build is missing; returns whether it may go on. */
const ready = async (t: ExecutionContext, build: BpftraceBuild): Promise<boolean> => {
  const problem = await buildProblem(build);
  if (problem) t.fail(problem);
  return problem === undefined;
};

const withConfig = async <T>(build: BpftraceBuild, run: (file: string) => Promise<T>): Promise<T> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-matrix-'));
  try {
    writeFileSync(path.join(dir, 'ebpf_process.conf'), configFor(build));
    return await run(path.join(dir, 'ebpf_process.conf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

// --- the golden scripts, each compiled by the real build of its dialect --------------------------------------

for (const golden of [...goldenScripts, ...hostScripts]) {
  const name = path.relative(path.join(repoRoot, 'scripts-bt'), golden.file);
  const build = buildForDialect(golden.bpftrace);
  const script = readFileSync(golden.file, 'utf8');
  // 0.27 takes fentry targets on the command line but checks their arguments against this kernel's BTF.
  const skip = !build
    ? `no build of the bpftrace ${dialectFor(golden.bpftrace).runsOn} dialect in the matrix (Debian ships 0.17, 0.23, 0.27)`
    : !usesTrampolines(script)
      ? undefined
      : minorOf(build) < 27
        ? hiddenTargets(build)
        : `${buildName(build)} checks fentry arguments against the running kernel's BTF (6.18), not ${golden.fixture}'s`;
  serialTestUnless(skip, `${build ? buildName(build) : 'bpftrace'} compiles ${name}`, async (t) => {
    if (!(await ready(t, build!))) return;
    const result = await compileOnly(build!, script);
    t.is(result.exitCode, 0, result.stderr);
  });
}

// A fentry plan for this very kernel (as if it took trampolines): 0.27 compiles it against the running BTF.
const hostFacts = kernelFactsSchema.parse(JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/kernels/host-6.18.json'), 'utf8')));
for (const build of bpftraceBuilds) {
  serialTestUnless(
    minorOf(build) < 27 ? hiddenTargets(build) : undefined,
    `${buildName(build)} compiles a fentry/fexit plan for this kernel`,
    async (t) => {
      if (!(await ready(t, build))) return;
      const facts = { ...hostFacts, trampoline: 'usable' as const, filterFunctionsReadable: true };
      for (const mode of ['entry', 'return'] as const) {
        const plan = planProbes(facts, { mode, tracing: 'trampoline', backend: 'bpftrace', filter: { pid: 4242 } });
        t.true(
          plan.probes.some((probe) => probe.chosen?.family === 'trampoline'),
          'the plan uses fentry',
        );
        const { text } = generateScript(plan, {
          dialect: dialectFor(build.version),
          output: 'json',
          intervalSeconds: 1,
          generator: 'test',
        });
        const result = await compileOnly(build, text);
        t.is(result.exitCode, 0, `${mode}: ${result.stderr}`);
      }
    },
  );
}

// Keys (per cgroup, per command name) on both families this kernel's fixtures give every build: tracepoints, and
// kprobes whose release reads the released task's cgroup and comm through BTF.
const ubuntuFacts = kernelFactsSchema.parse(
  JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/kernels/ubuntu-22.04-5.15.json'), 'utf8')),
);
for (const build of bpftraceBuilds) {
  test.serial(`${buildName(build)} compiles keyed scripts (cgroups = yes, apps = yes)`, async (t) => {
    if (!(await ready(t, build))) return;
    for (const [facts, tracing] of [
      [hostFacts, 'tracepoint'],
      [ubuntuFacts, 'probe'],
    ] as const) {
      for (const mode of ['entry', 'return'] as const) {
        const plan = planProbes(
          { ...facts, tracepoints: [...facts.tracepoints, ...Object.values(cgroupEvents)] },
          {
            mode,
            tracing,
            backend: 'bpftrace',
            keys: [
              { key: 'cgroup', entries: 100 },
              { key: 'comm', entries: 100 },
            ],
          },
        );
        const { text } = generateScript(plan, {
          dialect: dialectFor(build.version),
          output: 'json',
          intervalSeconds: 1,
          generator: 'test',
          kernelBtf: facts.btf,
        });
        t.regex(text, /@open__cgroup\[/);
        const result = await compileOnly(build, text);
        t.is(result.exitCode, 0, `${tracing} ${mode}: ${result.stderr}`);
      }
    }
  });
}

// --- the plugin, pointed at the build, against the selftest workload ------------------------------------------

interface PluginWindow {
  stdout: string;
  stderr: string;
  skipped: number;
}

/** Runs the plugin around one run of the workload and returns its output once every exited task is released. */
const pluginAroundWorkload = async (
  config: string,
  mode: Mode,
  pid: number,
  workload: { start(): Promise<void>; untilDone(): Promise<void> },
): Promise<PluginWindow> => {
  const plugin = execa(cli, ['1', '--config', config, '--mode', mode, '--pid', String(pid)], { reject: false, buffer: false });
  let stdout = '';
  let stderr = '';
  plugin.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  plugin.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const blocks = () => stdout.split('\nBEGIN ebpf.exit').length - 1;
  const waitFor = async (predicate: () => boolean, what: string, ms = 60_000): Promise<void> => {
    for (const deadline = Date.now() + ms; !predicate(); ) {
      if (Date.now() > deadline || plugin.exitCode !== null) throw new Error(`no ${what}; stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const exitChart = () =>
    replayProtocol(stdout.slice(0, stdout.lastIndexOf('\n') + 1))
      .get('ebpf.exit')
      ?.updates.at(-1)?.values;
  // Releases the kernel skipped (its recursion guard) never show: the backend's programs report them.
  const skipped = (): number => childrenOf(plugin.pid!).reduce((sum, child) => sum + skippedRuns(child), 0);
  let skippedAtEnd = 0;
  try {
    await waitFor(() => blocks() >= 1, 'first data block (bpftrace attached)');
    await workload.start();
    await workload.untilDone();
    const seen = blocks();
    // Releases trail exits by an RCU grace period.
    await waitFor(
      () => blocks() >= seen + 2 && (exitChart()?.get('task') ?? 0n) + BigInt(skipped()) >= (exitChart()?.get('process') ?? 0n),
      'settled sample',
    );
    skippedAtEnd = skipped();
  } finally {
    plugin.kill('SIGTERM');
    await plugin;
  }
  return { stdout, stderr, skipped: skippedAtEnd };
};

const pluginCounts = test.macro(async (t, build: BpftraceBuild, mode: Mode) => {
  if (!(await ready(t, build))) return;
  const built = await buildWorkload();
  const workload = await launchWorkload(built.binary, { rounds: 2, dir: built.dir });
  try {
    const { stdout, stderr, skipped } = await withConfig(build, (config) => pluginAroundWorkload(config, mode, workload.pid, workload));
    const report = await workload.finish();
    const facts = await gatherFacts(catalogueNames(), { bpftracePath: build.path });
    t.is(facts.bpftrace?.version, build.version);
    const expectations = expectCounts(
      report,
      planProbes(facts, { mode, tracing: 'auto', backend: 'bpftrace', filter: { pid: workload.pid } }),
    );
    t.deepEqual(expectations.uncollected, []);
    const charts = replayProtocol(stdout);
    for (const item of expectations.counters) {
      const [chart, dimension] = chartsForMode(mode).flatMap((candidate) =>
        candidate.dimensions
          .filter((entry) => candidate.algorithm === 'incremental' && entry.plus.length === 1 && entry.plus[0] === item.counter)
          .map((entry) => [`ebpf.${candidate.id}`, entry.id] as const),
      )[0]!;
      const charted = charts.get(chart)?.updates.at(-1)?.values.get(dimension);
      if (item.counter === 'release') assertRelease(t, Number(charted ?? 0n), item.expected, skipped, `${chart} ${dimension}`);
      else t.is(charted, BigInt(item.expected), `${item.counter} (${chart} ${dimension}) from ${item.attachPoints.join(', ')}`);
    }
    const health = charts.get('ebpf.plugin_health')?.updates.at(-1)?.values;
    t.truthy(health, 'the health chart was updated');
    for (const [dimension, value] of health ?? []) {
      // Runs the kernel skipped (0.17's releases, on a busy host) are charted, never more than it counted.
      if (dimension === 'skipped_events')
        t.true(value <= BigInt(skipped), `ebpf.plugin_health skipped_events ${value}, the kernel counted ${skipped}`);
      else t.is(value, 0n, `ebpf.plugin_health ${dimension}`);
    }
    t.notRegex(stderr, /restarting|falling back|backend reported/, 'bpftrace ran once and reported nothing');
  } finally {
    await workload.kill();
    await built.remove();
  }
});

const selftest = test.macro(async (t, build: BpftraceBuild, mode: Mode, keyed = false) => {
  if (!(await ready(t, build))) return;
  const run = () =>
    withConfig(build, (config) =>
      execa(cli, ['selftest', '--config', config, '--mode', mode, '--rounds', '2', ...(keyed ? ['--cgroups', '--apps'] : [])], {
        reject: false,
      }),
    );
  let result = await run();
  if (releaseOnlyShort(result.stdout)) {
    t.log(`release short on the first run; running again:\n${result.stdout}`);
    result = await run();
  }
  t.is(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  t.true(result.stdout.includes(`bpftrace ${build.version} at ${build.path}`), result.stdout);
  assertSelftestExact(t, result.stdout);
});

const namesDialect = test.macro(async (t, build: BpftraceBuild) => {
  if (!(await ready(t, build))) return;
  const dialect = dialectFor(build.version);
  await withConfig(build, async (config) => {
    const inUse = `bpftrace ${build.version} at ${build.path}, script dialect of bpftrace ${dialect.runsOn}:`;
    for (const command of ['check', 'dry-run']) {
      const result = await execa(cli, [command, '--config', config], { reject: false });
      t.true(result.stdout.includes(inUse), `${command}:\n${result.stdout}`);
    }
    const script = await execa(cli, ['script', '--config', config]);
    t.true(script.stdout.includes(`Runs on bpftrace ${dialect.runsOn}:`), script.stdout.slice(0, 800));
  });
});

for (const build of bpftraceBuilds) {
  test.serial(
    `${buildName(build)}: check and dry-run name it and its dialect, the script header the releases it runs on`,
    namesDialect,
    build,
  );
  for (const mode of ['entry', 'return'] as const) {
    test.serial(
      `${buildName(build)}: the plugin with \`bpftrace path\` set to it counts the workload exactly in ${mode} mode`,
      pluginCounts,
      build,
      mode,
    );
    test.serial(`${buildName(build)}: selftest passes in ${mode} mode`, selftest, build, mode);
  }
  // Keyed counting at run time: exact per cgroup and per command name, and the keys add up to the host.
  test.serial(`${buildName(build)}: selftest --cgroups --apps passes in return mode`, selftest, build, 'return', true);
}
