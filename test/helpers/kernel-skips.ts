// SPDX-License-Identifier: GPL-3.0-or-later
// What this host lets a test count, and what it does not. Releases the kernel skipped: sched_process_free fires
// in softirq and is not run while another tracing BPF program runs on that CPU (src/selftest/recursion-misses.ts).
// A release count may fall short by at most the skips the kernel reports for the backend's programs, never by
// more, and never exceed the workload's. Tests that make a cgroup and run a real agent say at registration when
// they cannot run here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import { parseCgroupMounts } from '../../src/cgroups/cgroup-mounts.js';
import { recursionMisses } from '../../src/selftest/recursion-misses.js';

/** Skipped runs of the process's BPF programs since they were loaded. */
export const skippedRuns = (pid: number | undefined): number => Number(pid === undefined ? 0n : recursionMisses(pid) ?? 0n);

/** The processes whose parent is `pid` (the plugin's backend), from /proc/<pid>/stat. */
export const childrenOf = (pid: number): number[] => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((entry) => {
  try {
    const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(pid);
  } catch {
    return false;
  }
}).map(Number);

export const assertRelease = (t: ExecutionContext, counted: number, expected: number, skipped: number, label: string): void => {
  if (counted === expected) return void t.pass();
  t.true(counted < expected && expected - counted <= skipped,
    `${label}: release counted ${counted} of ${expected}; the kernel reports ${skipped} skipped run(s), which must cover the shortfall`);
};

/** Debian's netdata-core puts its external plugins and helper scripts here, and its stock config files there. */
export const netdataPluginsDir = '/usr/lib/netdata/plugins.d';
export const netdataStockConfigDir = '/usr/lib/netdata/conf.d';

/** A host where a test can make a cgroup and run a real agent (its cgroup v2 mount), or why not. */
export type CgroupTestHost = { readonly skip: string } | { readonly skip?: undefined; readonly v2Root: string };

const cgroupTestHost = (): CgroupTestHost => {
  if (process.getuid?.() !== 0) return { skip: 'needs root: making a cgroup and running Netdata\'s plugins' };
  if (!existsSync('/usr/sbin/netdata')) return { skip: 'Netdata is not installed (Debian: apt-get install netdata)' };
  const { v2 } = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
  return v2 === undefined ? { skip: 'no cgroup2 mount: the kernel\'s cgroup ids are v2 ids, so per-cgroup counting is off here' } : { v2Root: v2 };
};

/**
 * Registers a serial test that makes a cgroup under `v2Root`, or, when this host cannot run it, a skipped test
 * whose title says why: decided at registration, so the reason shows in ava's list.
 */
export const cgroupHostTest = (title: string, run: (t: ExecutionContext, v2Root: string) => Promise<void>): void => {
  const host = cgroupTestHost();
  if (host.skip !== undefined) test.skip(`${title} (skipped: ${host.skip})`, () => {});
  else test.serial(title, async (t) => run(t, host.v2Root));
};
