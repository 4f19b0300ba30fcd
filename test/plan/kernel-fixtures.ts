// SPDX-License-Identifier: GPL-3.0-or-later
// The recorded kernel fact sets under test/fixtures/kernels/, and the compact view of a plan that golden files hold.
import { readdir, readFile } from 'node:fs/promises';
import { kernelFactsSchema, type KernelFacts } from '../../src/kernel/facts.js';
import { modes } from '../../src/plan/counters.js';
import { tracingChoices } from '../../src/plan/families.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { Backend, Plan } from '../../src/plan/plan-types.js';

export const kernelFixturesDir = new URL('../fixtures/kernels/', import.meta.url);

export interface KernelFixture {
  readonly name: string;
  readonly facts: KernelFacts;
}

export const kernelFixtureNames = async (): Promise<string[]> =>
  (await readdir(kernelFixturesDir))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();

export const loadKernelFixture = async (name: string): Promise<KernelFixture> => {
  const text = await readFile(new URL(`${name}.json`, kernelFixturesDir), 'utf8');
  return { name, facts: kernelFactsSchema.parse(JSON.parse(text)) };
};

export const loadKernelFixtures = async (): Promise<KernelFixture[]> => Promise.all((await kernelFixtureNames()).map(loadKernelFixture));

export const backends: readonly Backend[] = ['bpftrace', 'helper'];

export interface ProbeChoice {
  /** "tracepoint", "probe", "trampoline", or "none" when no candidate is usable. */
  readonly chosen: string;
  readonly attachPoints: readonly string[];
  /** "family: reason" for every family tried before the chosen one. */
  readonly rejected: readonly string[];
}

/** What a reviewer checks against the kernel facts: per probe, the family, attach points and rejections. */
export const summarizePlan = (plan: Plan): Record<string, ProbeChoice> =>
  Object.fromEntries(
    plan.probes.map((probe) => [
      probe.probe,
      {
        chosen: probe.chosen?.family ?? 'none',
        attachPoints: probe.chosen?.attachPoints ?? [],
        rejected: probe.rejected.map((rejection) => `${rejection.family}: ${rejection.reason}`),
      },
    ]),
  );

export const planKey = (mode: string, tracing: string, backend: string): string => `${mode} ${tracing} ${backend}`;

/** Every mode x `ebpf co-re tracing` value x backend, keyed "mode tracing backend". */
export const goldenPlans = (fixture: KernelFixture) => ({
  fixture: fixture.name,
  kernel: fixture.facts.release,
  arch: fixture.facts.arch,
  plans: Object.fromEntries(
    modes.flatMap((mode) =>
      tracingChoices.flatMap((tracing) =>
        backends.map((backend) => [planKey(mode, tracing, backend), summarizePlan(planProbes(fixture.facts, { mode, tracing, backend }))]),
      ),
    ),
  ),
});
