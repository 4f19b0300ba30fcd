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
  /** The bpftrace version whose dialect it is written in; test/matrix/ compiles it with the real build of that dialect. */
  readonly bpftrace: string;
}

// One variant per attach family and real build of the matrix (0.17 Debian 12, 0.23 Debian 13, 0.27 Debian sid).
const variants: ReadonlyArray<Omit<GoldenScript, 'file' | 'mode'>> = [
  ...['0.17.0', '0.23.2', '0.27.1'].flatMap((bpftrace) => [
    { fixture: 'host-6.18', tracing: 'tracepoint' as const, bpftrace },
    { fixture: 'ubuntu-22.04-5.15', tracing: 'probe' as const, bpftrace },
  ]),
  // fentry needs 0.20+ (0.17 aborts on `fentry:`).
  { fixture: 'ubuntu-22.04-5.15', tracing: 'trampoline', bpftrace: '0.23.2' },
  { fixture: 'debian-12-6.1', tracing: 'trampoline', bpftrace: '0.27.1' },
];

export const goldenScripts: GoldenScript[] = variants.flatMap((variant) =>
  (['entry', 'return'] as const).map((mode) => ({
    ...variant,
    mode,
    file: path.join(
      repoRoot,
      'scripts-bt',
      `${variant.tracing}-${mode}-${variant.fixture}-bpftrace-${variant.bpftrace.replace(/\.\d+$/, '')}.bt`,
    ),
  })),
);

const fixtureFacts = (fixture: string) =>
  kernelFactsSchema.parse(JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/kernels', `${fixture}.json`), 'utf8')));

export const fixtureNames = readdirSync(path.join(repoRoot, 'test/fixtures/kernels'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.replace(/\.json$/, ''))
  .sort();

// What `ebpf-process script --facts <fixture>` prints for every recorded host: its auto plan in the dialect
// of its own bpftrace (0.17 when the host has none recorded), as the script command chooses.
export const hostScripts: GoldenScript[] = fixtureNames.flatMap((fixture) =>
  (['entry', 'return'] as const).map((mode) => {
    const facts = fixtureFacts(fixture);
    return {
      fixture,
      mode,
      tracing: 'auto' as const,
      bpftrace: facts.bpftrace?.version ?? '0.17.0',
      file: path.join(repoRoot, 'scripts-bt', 'hosts', `${fixture}-${mode}.bt`),
    };
  }),
);

export const renderGolden = (golden: GoldenScript): string => {
  const facts = fixtureFacts(golden.fixture);
  const plan = planProbes(facts, { mode: golden.mode, tracing: golden.tracing, backend: 'bpftrace' });
  return generateScript(plan, {
    dialect: dialectFor(golden.bpftrace),
    output: 'table',
    intervalSeconds: 1,
    generator: generatorName,
    kernelBtf: facts.btf,
    filterFunctionsReadable: facts.filterFunctionsReadable,
  }).text;
};
