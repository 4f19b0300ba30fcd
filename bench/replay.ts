// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run bench:replay`: the plugin's own CPU and peak RSS at hundreds to thousands of keys, without the kernel. The
// real Collector reads a replayed backend (replay/) that prints what the helper or bpftrace prints for N busy cgroups
// or names; runs are interleaved over node flags and loads, rounds apart, and each figure is the median of the
// rounds. What the keys section's CPU part measures with real cgroups and probes (docs/performance.md), here
// repeatable on a loaded machine and cheap at 5,000 keys: for profiling (add --cpu-prof to --node-flag) and for
// changes to the per-key path side by side.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { build } from 'esbuild';
import { execa } from 'execa';
import { pluginNodeFlags } from './lib/native.js';
import { median } from './lib/median.js';
import type { ReplayResult } from './replay/replay-plugin.js';

const options = new Command('bench:replay')
  .addOption(new Option('--key <key...>', 'what the keys are').choices(['cgroup', 'comm']).default(['cgroup', 'comm']))
  .option('--count <n...>', 'keys per load', ['500', '5000'])
  .addOption(new Option('--style <style>', 'whose output is replayed').choices(['helper', 'bpftrace']).default('helper'))
  .option('--node-flag <flags...>', "node flags of each setup ('' for none; several flags in one quoted word)", [
    pluginNodeFlags.join(' '),
    '',
  ])
  .option('--rounds <n>', 'rounds, interleaved', '3')
  .option('--seconds <n>', 'measured window per run', '20')
  .option('--warmup <n>', 'seconds before the window', '8')
  .parse()
  .opts<{ key: string[]; count: string[]; style: string; nodeFlag: string[]; rounds: string; seconds: string; warmup: string }>();

const root = fileURLToPath(new URL('..', import.meta.url));
const output = `${root}bench/.output/replay/`;
const facts = `${root}test/fixtures/kernels/host-6.18.json`;

// Bundled as dist/cli.js is: node then loads one file, and no loader thread adds to what is measured.
const bundle = async (): Promise<void> => {
  await mkdir(output, { recursive: true });
  await build({
    entryPoints: [`${root}bench/replay/replay-plugin.ts`, `${root}bench/replay/replayed-backend.ts`],
    outdir: output,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
};

interface Setup {
  readonly key: string;
  readonly count: number;
  readonly flag: string;
}

const run = async ({ key, count, flag }: Setup): Promise<ReplayResult> => {
  const args = [
    ...flag.split(' ').filter(Boolean),
    `${output}replay-plugin.mjs`,
    facts,
    `${output}replayed-backend.mjs`,
    options.style,
    key,
    String(count),
    options.seconds,
    options.warmup,
  ];
  const { stdout } = await execa(process.execPath, args, { stderr: 'inherit' });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ReplayResult;
};

await bundle();
const setups: Setup[] = options.key.flatMap((key) =>
  options.count.flatMap((count) => options.nodeFlag.map((flag) => ({ key, count: Number(count), flag }))),
);
const results = new Map<Setup, ReplayResult[]>(setups.map((setup) => [setup, []]));
for (let round = 1; round <= Number(options.rounds); round++) {
  for (const setup of setups) {
    const result = await run(setup);
    results.get(setup)!.push(result);
    process.stderr.write(`replay: round ${round} ${setup.count} ${setup.key} [${setup.flag}]: ${result.nodePercent.toFixed(3)} % core\n`);
  }
}
const fixed = (value: number, digits: number): string => value.toFixed(digits);
console.log(`| keys | node flags | node % core (median of ${options.rounds}; min-max) | node peak RSS MiB (median) |`);
console.log('|---|---|---|---|');
for (const [setup, runs] of results) {
  const cpu = runs.map((one) => one.nodePercent);
  const keys = `${setup.count} ${setup.key === 'cgroup' ? 'cgroups' : 'names'} (${options.style} output)`;
  const flags = setup.flag ? `\`${setup.flag}\`` : 'none';
  const spread = `${fixed(median(cpu), 3)} (${fixed(Math.min(...cpu), 3)}-${fixed(Math.max(...cpu), 3)})`;
  console.log(`| ${keys} | ${flags} | ${spread} | ${fixed(median(runs.map((one) => one.peakRssMiB)), 1)} |`);
}
