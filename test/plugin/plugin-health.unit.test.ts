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
