// SPDX-License-Identifier: GPL-3.0-or-later
// ebpf.plugin_health's skipped_events: the kernel's recursion_misses of a backend run's programs, a total per run that
// restarts at 0 with each run, charted as one count that only grows (the host tests check it against the kernel:
// test/plugin/self-monitoring.test.ts).
import test from 'ava';
import { PluginHealth } from '../../src/plugin/plugin-health.js';

test("skipped_events adds what each run's total has grown by, across backend runs", (t) => {
  const health = new PluginHealth(() => {});
  health.startRun();
  health.skippedInRun(3n);
  health.skippedInRun(3n);
  health.skippedInRun(5n);
  t.is(health.snapshot().get('skipped_events'), 5n);
  // A new run's programs count from 0: their first 2 add 2, not -3.
  health.startRun();
  health.skippedInRun(2n);
  t.is(health.snapshot().get('skipped_events'), 7n);
  // A total lower than one already seen in the run (an answer out of order) adds nothing.
  health.skippedInRun(1n);
  t.is(health.snapshot().get('skipped_events'), 7n);
});

test("a full table's events go to its dimension per run, and the table is said full once, naming the setting", (t) => {
  const log: string[] = [];
  const health = new PluginHealth((message) => log.push(message), { cgroup: 2, comm: 16 });
  health.startRun();
  health.unkeyedInRun('comm', 4n);
  health.unkeyedInRun('comm', 9n);
  health.startRun();
  health.unkeyedInRun('comm', 1n);
  health.tableFull('comm', 'again', 'events_over_apps_table');
  t.is(health.snapshot().get('events_over_apps_table'), 10n);
  t.is(health.snapshot().get('events_over_cgroup_table'), 0n);
  // The registry's sign of a full cgroup table and the kernel's share the one message.
  health.tableFull('cgroup', '3 more cgroups are counted on the host charts only', 'cgroups_over_table');
  health.unkeyedInRun('cgroup', 5n);
  t.is(health.snapshot().get('events_over_cgroup_table'), 5n);
  t.deepEqual(log, [
    'apps table size = 16 is full: the events of other names are counted on the host charts only ' +
      '(ebpf.plugin_health events_over_apps_table); raise apps table size in ebpf_process.conf',
    'cgroup table size = 2 is full: 3 more cgroups are counted on the host charts only (ebpf.plugin_health cgroups_over_table); ' +
      'raise cgroup table size in ebpf_process.conf',
  ]);
});
