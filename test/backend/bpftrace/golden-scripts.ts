// SPDX-License-Identifier: GPL-3.0-or-later
// The stock scripts kept in scripts-bt/: which host, family, mode and bpftrace dialect each one is for.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dialectFor } from '../../../src/backend/bpftrace/dialect.js';
import { generateScript } from '../../../src/backend/bpftrace/generate-script.js';
import { kernelFactsSchema } from '../../../src/kernel/facts.js';
import type { Mode } from '../../../src/plan/counters.js';
import type { Family } from '../../../src/plan/families.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import { generatorName } from '../../../src/version.js';
import { repoRoot } from '../../helpers/run-plugin.js';

export interface GoldenScript {
  readonly file: string;
  readonly fixture: string;
  readonly tracing: Family | 'auto';
  readonly mode: Mode;
  readonly bpftrace: string;
  /** Whether the bpftrace installed here (0.17) can compile it. */
  readonly compilesHere: boolean;
}

const variants: ReadonlyArray<Omit<GoldenScript, 'file' | 'mode'>> = [
  { fixture: 'host-6.18', tracing: 'tracepoint', bpftrace: '0.17.0', compilesHere: true },
  { fixture: 'ubuntu-22.04-5.15', tracing: 'probe', bpftrace: '0.17.0', compilesHere: true },
  // fentry: needs bpftrace >= 0.20 and a kernel that accepts trampolines; neither is here.
  { fixture: 'ubuntu-22.04-5.15', tracing: 'trampoline', bpftrace: '0.20.0', compilesHere: false },
  { fixture: 'debian-12-6.1', tracing: 'trampoline', bpftrace: '0.24.0', compilesHere: false },
];

export const goldenScripts: GoldenScript[] = variants.flatMap((variant) => (['entry', 'return'] as const).map((mode) => ({
  ...variant,
  mode,
  file: path.join(repoRoot, 'scripts-bt', `${variant.tracing}-${mode}-${variant.fixture}-bpftrace-${variant.bpftrace.replace(/\.0$/, '')}.bt`),
})));

const fixtureFacts = (fixture: string) =>
  kernelFactsSchema.parse(JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/kernels', `${fixture}.json`), 'utf8')));

export const fixtureNames = readdirSync(path.join(repoRoot, 'test/fixtures/kernels'))
  .filter((name) => name.endsWith('.json')).map((name) => name.replace(/\.json$/, '')).sort();

// What `ebpf-process script --facts <fixture>` prints for every recorded host: its auto plan in the dialect
// of its own bpftrace (0.17 when the host has none recorded), as the script command chooses.
export const hostScripts: GoldenScript[] = fixtureNames.flatMap((fixture) => (['entry', 'return'] as const).map((mode) => {
  const facts = fixtureFacts(fixture);
  const plan = planProbes(facts, { mode, tracing: 'auto', backend: 'bpftrace' });
  return {
    fixture,
    mode,
    tracing: 'auto' as const,
    bpftrace: facts.bpftrace?.version ?? '0.17.0',
    // 0.17 here compiles kprobe and tracepoint plans, not fentry ones.
    compilesHere: plan.probes.every((probe) => probe.chosen?.family !== 'trampoline'),
    file: path.join(repoRoot, 'scripts-bt', 'hosts', `${fixture}-${mode}.bt`),
  };
}));

export const renderGolden = (golden: GoldenScript): string => {
  const facts = fixtureFacts(golden.fixture);
  const plan = planProbes(facts, { mode: golden.mode, tracing: golden.tracing, backend: 'bpftrace' });
  return generateScript(plan, { dialect: dialectFor(golden.bpftrace), output: 'table', intervalSeconds: 1, generator: generatorName }).text;
};
