// SPDX-License-Identifier: GPL-3.0-or-later
// Runs of a process's BPF programs that the kernel skipped. A tracepoint program is not run while another
// tracing program runs on the same CPU (the kernel's per-CPU recursion guard): sched_process_free fires from
// an RCU callback in softirq, which may interrupt any tracing program, so a release can go uncounted on a
// busy host. The kernel counts each skip per program (`recursion_misses` in the program fd's fdinfo).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const missesLine = /^recursion_misses:\s+(\d+)$/m;

/** Skipped runs of every BPF program the process holds open; undefined when its fds cannot be read. */
export const recursionMisses = (pid: number): bigint | undefined => {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined; // gone, or not ours to read (a capable helper is not dumpable)
  }
  let total = 0n;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:bpf-prog') continue;
      total += BigInt(missesLine.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1] ?? '0');
    } catch {
      // closed meanwhile
    }
  }
  return total;
};

/** Counters whose probes fire in softirq (an RCU callback), where the recursion guard can skip them. */
const firedInSoftirq: ReadonlySet<string> = new Set(['release']);

/** Whether the kernel's own count of skipped runs accounts for a shortfall of this counter. */
export const skippedByKernel = (counter: string, shortfall: number, skipped: bigint): boolean =>
  firedInSoftirq.has(counter) && shortfall > 0 && BigInt(shortfall) <= skipped;

export const skippedNote = (skipped: bigint): string =>
  `the kernel skipped ${skipped} run(s) of this backend's programs in the window (recursion_misses): a release fires in `
  + 'softirq, and is not counted when it interrupts another tracing BPF program on the same CPU; the shortfall is within them';
