// SPDX-License-Identifier: GPL-3.0-or-later
// What this host lets a test count, and what it does not. Tests this host cannot run are registered as skipped,
// with the reason in their title (testUnless). Releases the kernel skipped: sched_process_free fires in softirq and
// is not run while another tracing BPF program runs on that CPU (src/selftest/recursion-misses.ts). A release
// count may fall short by at most the skips the kernel reports for the backend's programs, never by more, and
// never exceed the workload's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import test, { type ExecutionContext, type Implementation, type SerialFn, type TestFn } from 'ava';
import { parseCgroupMounts } from '../../src/cgroups/cgroup-discovery.js';
import { statFields } from '../../src/self-cost/proc-stat.js';
import { recursionMisses } from '../../src/selftest/recursion-misses.js';

/** Skipped runs of the process's BPF programs since they were loaded. */
export const skippedRuns = (pid: number | undefined): number => Number(pid === undefined ? 0n : (recursionMisses(pid) ?? 0n));

/** The processes whose parent is `pid` (the plugin's backend), from /proc/<pid>/stat. */
export const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => statFields(candidate)?.[1] === String(pid));

export const assertRelease = (t: ExecutionContext, counted: number, expected: number, skipped: number, label: string): void => {
  if (counted === expected) return void t.pass();
  t.true(
    counted < expected && expected - counted <= skipped,
    `${label}: release counted ${counted} of ${expected}; the kernel reports ${skipped} skipped run(s), which must cover the shortfall`,
  );
};

/**
 * Registers `title`, or when `reason` says what this host lacks, registers it skipped with the reason in its title.
 * ava decides skips only at registration, and a test that returns early passes while checking nothing.
 */
export const testUnless = <Args extends unknown[]>(
  reason: string | undefined,
  title: string,
  implementation: Implementation<Args>,
  ...args: Args
): void => registerUnless(test, reason, title, implementation, ...args);

/** testUnless for a test that must run alone (test.serial). */
export const serialTestUnless = <Args extends unknown[]>(
  reason: string | undefined,
  title: string,
  implementation: Implementation<Args>,
  ...args: Args
): void => registerUnless(test.serial, reason, title, implementation, ...args);

const registerUnless = <Args extends unknown[]>(
  register: TestFn | SerialFn,
  reason: string | undefined,
  title: string,
  implementation: Implementation<Args>,
  ...args: Args
): void => {
  if (reason === undefined) register(title, implementation, ...args);
  else register.skip(`${title} (skipped: ${reason})`, implementation, ...args);
};

/** Debian's netdata-core puts its external plugins and helper scripts here, and its stock config files there. */
export const netdataPluginsDir = '/usr/lib/netdata/plugins.d';
export const netdataStockConfigDir = '/usr/lib/netdata/conf.d';

/** Why a test cannot make a cgroup and run a real agent here, or the cgroup v2 mount it makes it under. */
const cgroupTestHost = ():
  | { readonly skip: string; readonly v2Root?: undefined }
  | { readonly skip?: undefined; readonly v2Root: string } => {
  if (process.getuid?.() !== 0) return { skip: "needs root: making a cgroup and running Netdata's plugins" };
  if (!existsSync('/usr/sbin/netdata')) return { skip: 'Netdata is not installed (Debian: apt-get install netdata)' };
  const { v2 } = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
  return v2 === undefined
    ? { skip: "no cgroup2 mount: the kernel's cgroup ids are v2 ids, so per-cgroup counting is off here" }
    : { v2Root: v2 };
};

/** A serial test that makes a cgroup under the cgroup v2 mount and runs a real agent, or its skip with the reason. */
export const cgroupHostTest = (title: string, run: (t: ExecutionContext, v2Root: string) => Promise<void>): void => {
  const host = cgroupTestHost();
  serialTestUnless(host.skip, title, async (t) => run(t, host.v2Root!));
};
