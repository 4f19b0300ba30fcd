// SPDX-License-Identifier: GPL-3.0-or-later
// Runs of a process's BPF programs that the kernel skipped. A perf tracepoint program (bpftrace's) is not run
// while another tracing program runs on the same CPU (the kernel's per-CPU recursion guard): sched_process_free
// fires from an RCU callback in softirq, which may interrupt any tracing program, so a release can go uncounted
// on a busy host. The helper hooks that event raw, where the guard is per program. The kernel counts each skip
// per program (`recursion_misses` in the program fd's fdinfo).
import { fdinfoOf, programsIn } from '../self-cost/bpf-fdinfo.js';

/** Skipped runs of every BPF program the process holds open; undefined when its fds cannot be read. */
export const recursionMisses = (pid: number): bigint | undefined => {
  const infos = fdinfoOf(pid);
  if (!infos) return undefined;
  return [...programsIn(infos).values()].reduce((total, info) => total + BigInt(info.get('recursion_misses') ?? '0'), 0n);
};

/** Counters whose probes fire in softirq (an RCU callback), where the recursion guard can skip them. */
const firedInSoftirq: ReadonlySet<string> = new Set(['release']);

/** Whether the kernel's own count of skipped runs accounts for a shortfall of this counter. */
export const skippedByKernel = (counter: string, shortfall: number, skipped: bigint): boolean =>
  firedInSoftirq.has(counter) && shortfall > 0 && BigInt(shortfall) <= skipped;

export const skippedNote = (skipped: bigint): string =>
  `the kernel skipped ${skipped} run(s) of this backend's programs in the window (recursion_misses): a release fires in ` +
  'softirq, and a perf tracepoint program is not run when that interrupts another tracing BPF program on the same CPU; ' +
  'the shortfall is within them';
