// SPDX-License-Identifier: GPL-3.0-or-later
// Every program a plan can ask for is in the CO-RE object, with the right kind. The programs that cannot
// attach on this host (fentry/fexit refused, no kprobes) are still run through the real helper: it must
// report exactly the plan's attach points as failed (typed events, exit 3), which proves the names, the kinds
// and the failure contract; kprobe programs also pass the verifier here (they fail only at attach).
import test from 'ava';
import { execa } from 'execa';
import { helperCommand } from '../../../src/backend/helper/helper-command.js';
import { helperPrograms } from '../../../src/backend/helper/helper-programs.js';
import { catalogueNames } from '../../../src/plan/catalogue.js';
import { modes, type Mode } from '../../../src/plan/counters.js';
import { families, type Family } from '../../../src/plan/families.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import { gatherFacts } from '../../../src/kernel/gather.js';
import { fullHost } from './support/made-up-hosts.js';
import { bpfObject, buildHelper } from './support/build.js';
import { reportedFailures, runToEnd } from '../../helpers/backend-process.js';
import { testUnless } from '../../helpers/kernel-skips.js';

const ATTACH_FAILED = 3;

const objectPrograms = async (): Promise<Map<string, string>> => {
  const { stdout } = await execa('objdump', ['-t', bpfObject]);
  // binutils (a dependency of clang); "0000000000000000 g     F fentry	0000000000000460 open_fentry"
  return new Map([...stdout.matchAll(/^\S+ g\s+F (\S+)\s+\S+ (\S+)$/gm)].map((match) => [match[2]!, match[1]!]));
};

// The release tracepoint (sched_process_free) is hooked raw: programs-source.ts says why.
const expectedSection = (program: string, kind: string): string => {
  if (program.endsWith('_stash_kprobe')) return 'kprobe';
  if (program === 'release_tp') return 'raw_tp';
  return kind;
};

// Read before any test is declared (ava takes only tests declared at once).
const live = await gatherFacts(catalogueNames());
// On a host with kprobes the probe family attaches, and the counting tests cover it.
const kprobesAttach = live.kprobes ? 'this host has kprobes, so they attach' : undefined;

test('the object carries a program of the right kind for every probe, family, mode and kernel variant', async (t) => {
  await buildHelper();
  const programs = await objectPrograms();
  const used = new Set<string>();
  for (const release of ['6.1.0', '6.18.0']) {
    for (const mode of modes) {
      for (const tracing of families) {
        // With per-cgroup totals, so that the program forgetting a removed cgroup is planned too.
        const plan = planProbes(fullHost(release), { mode, tracing, backend: 'helper', keys: [{ key: 'cgroup', entries: 16 }] });
        for (const { program } of helperPrograms({ ...plan, probes: [] })) used.add(program);
        for (const planned of plan.probes) {
          t.truthy(planned.chosen, `${planned.probe} is planned on a full host`);
          for (const { program } of helperPrograms({ ...plan, cgroupEvents: undefined, probes: [planned] })) {
            used.add(program);
            t.is(programs.get(program), expectedSection(program, planned.chosen!.kind), `${program} (${mode}, ${tracing}, ${release})`);
          }
        }
      }
    }
  }
  // --pid tracking is the helper's own; everything else must be reachable from some plan.
  t.deepEqual([...programs.keys()].filter((name) => !name.startsWith('track_')).sort(), [...used].sort());
});

const reportsPlanPoints = test.macro(async (t, mode: Mode, tracing: Family, release?: string) => {
  await buildHelper();
  // Pretend kprobes exist (and, for a variant, an older kernel) so the planner picks what we want to test.
  const facts = { ...live, kprobes: true, ...(release ? { release } : {}) };
  const plan = planProbes(facts, { mode, tracing, backend: 'helper' });
  const planned = plan.probes.filter((probe) => probe.chosen?.family === tracing);
  t.true(planned.length > 0);
  const { file, args } = helperCommand({ ...plan, probes: planned }, { intervalMs: 1000 });
  const run = await runToEnd(file, args);
  t.is(run.code, ATTACH_FAILED, run.stderr);
  const reported = reportedFailures(run.stdout)
    .map((failure) => failure.attachPoint)
    .sort();
  t.deepEqual(reported, planned.flatMap((probe) => probe.chosen!.attachPoints).sort());
  if (tracing === 'probe') {
    // Loaded, so verified: only creating the kprobe event failed (no CONFIG_KPROBES: ENOENT).
    t.true(
      reportedFailures(run.stdout).every((failure) => failure.event === 'attach_failed' && failure.errno === 2),
      run.stdout,
    );
  }
});

for (const mode of modes) {
  test(`reports every fentry/fexit point of a ${mode}-mode trampoline plan as failed here`, reportsPlanPoints, mode, 'trampoline');
  testUnless(
    kprobesAttach,
    `reports every kprobe/kretprobe point of a ${mode}-mode probe plan as failed here`,
    reportsPlanPoints,
    mode,
    'probe',
  );
}
test('reports the close_fd variants (kernels before 6.6) as failed here', reportsPlanPoints, 'return', 'trampoline', '6.1.0');
testUnless(
  kprobesAttach,
  'reports the close_fd kretprobe variant (kernels before 6.6) as failed here',
  reportsPlanPoints,
  'return',
  'probe',
  '6.1.0',
);
