// SPDX-License-Identifier: GPL-3.0-or-later
// dry-run's text is read by a person (issue 26): a reason shared by several probes is printed once, long lists wrap,
// and an empty cgroup tree says so. What dry-run reports on this host: dry-run.test.ts.
import test from 'ava';
import { dryRunReport, dryRunText } from '../../src/cli/dry-run-command.js';
import { whoText } from '../../src/cli/dry-run-who.js';
import { keyMeaning } from '../../src/plan/counter-keys.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import { loadKernelFixture } from '../plan/kernel-fixtures.js';

const width = 120;

test('each reason a better candidate was not used is printed once, with the probes it concerns', async (t) => {
  const { facts } = await loadKernelFixture('host-6.18');
  // As this host's helper answers: every function probe gets the same two reasons.
  const refused = {
    ...facts,
    trampoline: 'refused' as const,
    notes: {
      ...facts.notes,
      trampoline:
        '/home/me/src/ebpf-process/bpf-fallback/bin/x86_64/ebpf-process-helper --probe: ' +
        'the kernel refused an fentry program on vfs_read (EPERM)',
    },
  };
  const lines = dryRunText(dryRunReport(planProbes(refused, { mode: 'entry', tracing: 'auto', backend: 'helper' }), 'helper at /x'));
  const reasons = lines.filter((line) => /^ +not (trampoline|probe):/.test(line));
  t.true(reasons.length > 0, lines.join('\n'));
  t.deepEqual(reasons, [...new Set(reasons)], lines.join('\n'));
  t.true(
    lines.some((line) => /^ +open, close, unlink, read, write +tracepoint$/.test(line)),
    lines.join('\n'),
  );
});

test('long lists of attach points and groups wrap, indented', async (t) => {
  const { facts } = await loadKernelFixture('host-6.18');
  const plan = planProbes(facts, { mode: 'entry', tracing: 'auto', backend: 'helper' });
  const groups = Array.from({ length: 166 }, (_, index) => `group-${index}`);
  const who = {
    keyTables: [{ key: 'comm' as const, entries: 1024, meaning: keyMeaning.comm }],
    charts: [{ pattern: 'apps.*', context: 'apps.*', charts: ['file_open'], dimensions: groups, groupsFile: '/a' }],
  };
  const lines = [...dryRunText(dryRunReport(plan, 'helper at /x')), ...whoText(who)];
  const long = lines.filter((line) => line.length > width && !/^ +not /.test(line));
  t.deepEqual(long, [], `lines over ${width} characters`);
  t.is(
    lines
      .filter((line) => /group-\d/.test(line))
      .join(' ')
      .match(/group-\d+/g)?.length,
    166,
    'every group is still listed',
  );
});

test('cgroups on and none found: it says so instead of an empty header', (t) => {
  const lines = whoText({ keyTables: [], charts: [], cgroupsFound: 0 });
  t.true(
    lines.some((line) => /no cgroups found/.test(line)),
    lines.join('\n'),
  );
});
