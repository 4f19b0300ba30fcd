// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run bench`: cost per traced event against the floor, plugin CPU and memory against the event rate,
// start time, and self monitoring checked against the bench's own reading, measured on this host. Prints the
// tables, writes bench/results/<date>.json and, after a full run of every section, the tables of
// docs/performance.md. `--section cost` runs the per-event section
// alone (every real bpftrace build found against the floor and the helper). Not part of the test suite:
// the numbers are ratios taken in one run, never asserts.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { removeBenchCgroups } from './lib/bench-cgroups.js';
import { restoreBpfStats } from './lib/bpf-stats.js';
import { findBpftraceBuilds } from './lib/bpftrace-builds.js';
import { endAll } from './lib/children.js';
import { floorAttachPoints } from './lib/floor-attach-points.js';
import { describeMachine } from './lib/machine.js';
import { buildNative } from './lib/native.js';
import type { Backend } from './lib/plugin-process.js';
import { writePerformanceDoc } from './report/performance-doc.js';
import type { BenchResults } from './report/results.js';
import { allTables } from './report/tables.js';
import { measureCostPerEvent } from './sections/cost-per-event.js';
import { measurePluginCost } from './sections/plugin-cost.js';
import { checkSelfCost } from './sections/self-cost-check.js';
import { measureWhoCost, whoParts, type WhoPart } from './sections/who-cost.js';
import { rescanEvery } from '../src/plugin/who-publisher.js';
import { measureStart } from './sections/start-time.js';

const sections = ['cost', 'load', 'start', 'self', 'keys', 'floors'];

const options = new Command('bench')
  .option('--quick', 'a short run to see that everything works (numbers are rough)')
  .addOption(new Option('--backend <backend...>', 'backends to measure').choices(['bpftrace', 'helper']).default(['bpftrace', 'helper']))
  .addOption(
    new Option(
      '--section <section...>',
      'sections to run: cost (per event, every bpftrace build found), load, start, self (self monitoring checked against the bench), ' +
        'keys (cgroups = yes and apps = yes: per event against the keyed floor, memory through a process churn, plugin CPU with ' +
        '500 cgroups), floors (the per-event part of keys alone: every keyed floor candidate and the backends)',
    )
      .choices(sections)
      .default(sections),
  )
  .option(
    '--rounds <n>',
    "rounds of the cost section (default 5; 2 with --quick) and of the keys section's per-event part (default 2; 1 with --quick): " +
      'fewer when a loaded machine makes a full run too long',
    (value) => Number.parseInt(value, 10),
  )
  .option('--no-doc', 'do not rewrite docs/performance.md (only a full run of every section rewrites it)')
  .addOption(
    new Option(
      '--keys-part <part...>',
      'parts of the keys section to run: events (per event), memory (the churn), ' +
        'cpu (plugin CPU with 500 cgroups and 1,000 names, then 5,000 and 10,000)',
    )
      .choices(whoParts)
      .default([...whoParts]),
  )
  .parse()
  .opts<{ quick?: boolean; rounds?: number; backend: Backend[]; section: string[]; keysPart: WhoPart[]; doc: boolean }>();

const quick = options.quick === true;
const settings = {
  quick,
  rounds: options.rounds ?? (quick ? 2 : 5),
  repeats: quick ? 1 : 3,
  loadSeconds: quick ? 5 : 30,
  warmupSeconds: quick ? 3 : 20,
  startReps: quick ? 2 : 5,
};
// Sized so that one run of each workload takes roughly 0.2-0.5 s bare on a 2-core VM.
const ops = quick
  ? { read: 300_000, openclose: 50_000, fork: 500, thread: 3_000 }
  : { read: 1_000_000, openclose: 200_000, fork: 2_000, thread: 10_000 };
// The keys section: a churn of short-lived processes through cgroups or names, and many cgroups or names active.
const who = {
  rounds: options.rounds ?? (quick ? 1 : 2),
  ops: quick ? { read: 200_000, openclose: 50_000 } : { read: 500_000, openclose: 100_000 },
  churn: { processes: quick ? 10_000 : 100_000, cgroups: 50, names: 1000 },
  // A window of one rescan period holds one walk of the cgroups (tens of ms at 500, ten times that at 5,000), as every
  // minute of the plugin's life does: a shorter one holds one or none, and its figure moved by up to 0.4% of a core.
  active: {
    cgroups: 500,
    names: 1000,
    seconds: quick ? 5 : rescanEvery.withCgroupEvents,
    warmupSeconds: quick ? 3 : 10,
    large: { cgroups: 5000, names: 10_000 },
  },
  parts: options.keysPart,
};
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

const runs = (section: string) => options.section.includes(section);

const main = async (configDir: string): Promise<void> => {
  await buildNative();
  const machine = await describeMachine();
  const floorPoints = { entry: await floorAttachPoints('entry'), return: await floorAttachPoints('return') };
  const bpftraceBuilds = options.backend.includes('bpftrace') ? await findBpftraceBuilds(configDir) : [];
  const cost = runs('cost')
    ? await measureCostPerEvent({
        rounds: settings.rounds,
        repeats: settings.repeats,
        backends: options.backend,
        bpftraceBuilds,
        ops,
        floorPoints,
        log,
      })
    : undefined;
  const load = runs('load')
    ? await measurePluginCost({
        backends: options.backend,
        rates: [0, 10_000, 100_000, 'max'],
        seconds: settings.loadSeconds,
        warmupSeconds: settings.warmupSeconds,
        log,
      })
    : undefined;
  const start = runs('start') ? await measureStart(settings.startReps, options.backend, log) : undefined;
  const selfCost = runs('self')
    ? await checkSelfCost({ backends: options.backend, seconds: settings.loadSeconds, warmupSeconds: settings.warmupSeconds, log })
    : undefined;
  const keys =
    runs('keys') || runs('floors')
      ? await measureWhoCost({
          ...who,
          parts: runs('keys') ? options.keysPart : ['events'],
          backends: options.backend,
          bpftraceBuilds,
          floorPoints: floorPoints.entry,
          configDir,
          log,
        })
      : undefined;
  const results: BenchResults = {
    machine,
    settings: { ...settings, who },
    floorAttachPoints: floorPoints,
    bpftraceBuilds: bpftraceBuilds.map((build) => `${build.version} (${build.path})`),
    ...(cost ? { cost } : {}),
    ...(load ? { load } : {}),
    ...(start ? { start } : {}),
    ...(selfCost ? { selfCost } : {}),
    ...(keys ? { keys } : {}),
  };

  const tables = allTables(results);
  console.log(tables);
  const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  const jsonPath = `${resultsDir}${machine.date.replace(/[:.]/g, '-')}.json`;
  await writeFile(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${jsonPath}`);
  if (options.doc && !quick && sections.every(runs) && whoParts.every((part) => options.keysPart.includes(part))) {
    await writePerformanceDoc(fileURLToPath(new URL('../docs/performance.md', import.meta.url)), tables);
    log('tables written to docs/performance.md');
  }
};

// Whatever happens, no plugin, bpftrace, helper or floor outlives the bench.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping what the bench started`);
    restoreBpfStats();
    void endAll().finally(() => {
      removeBenchCgroups();
      process.exit(130);
    });
  });
}
const configDir = await mkdtemp(join(tmpdir(), 'ebpf-process-bench-'));
try {
  await main(configDir);
} catch (error) {
  process.exitCode = 1;
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  restoreBpfStats();
  await endAll();
  removeBenchCgroups();
  await rm(configDir, { recursive: true, force: true });
}
