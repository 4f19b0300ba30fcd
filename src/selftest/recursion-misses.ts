// SPDX-License-Identifier: GPL-3.0-or-later
// Runs of a process's BPF programs that the kernel skipped. A perf tracepoint program (bpftrace's) is not run
// while another tracing program runs on the same CPU (the kernel's per-CPU recursion guard): sched_process_free
// fires from an RCU callback in softirq, which may interrupt any tracing program, so a release can go uncounted
// on a busy host. The helper hooks that event raw, where the guard is per program. The kernel counts each skip
// per program (`recursion_misses` in the program fd's fdinfo), but a perf tracepoint's only from 6.7 on.
import { kernelAtLeast, type KernelFacts } from '../kernel/facts.js';
import { releaseOnPerfTracepoint, type ReleaseFacts } from '../plan/release-hook.js';
import type { Plan } from '../plan/plan-types.js';
import { fdinfoOf, programsIn } from '../self-cost/bpf-fdinfo.js';

/** Skipped runs of every BPF program the process holds open; undefined when its fds cannot be read. */
export const recursionMisses = (pid: number): bigint | undefined => {
  const infos = fdinfoOf(pid);
  if (!infos) return undefined;
  return [...programsIn(infos).values()].reduce((total, info) => total + BigInt(info.get('recursion_misses') ?? '0'), 0n);
};

/** trace_call_bpf counts the runs its guard skips from this release on; before it, a skipped perf tracepoint run
 *  leaves no trace. */
export const skipsCountedFrom = '6.7';

/** What the kernel tells of skipped runs in a window: those it counted, and, where it counts none of the release's
 *  hook, why a release shortfall is still its own. */
export interface KernelSkips {
  readonly runs: bigint;
  readonly uncounted?: string;
}

/** The skips of a window of `runs` counted ones, for this plan on this kernel. */
export const kernelSkips = (runs: bigint, plan: Plan, facts: ReleaseFacts & Pick<KernelFacts, 'release'>): KernelSkips =>
  kernelAtLeast(facts, skipsCountedFrom) || !releaseOnPerfTracepoint(plan, facts)
    ? { runs }
    : {
        runs,
        uncounted:
          `releases are hooked on the perf tracepoint sched_process_free, which fires in softirq: kernel ${facts.release} ` +
          'does not run it while another tracing BPF program runs on that CPU, and counts no such skip before ' +
          `${skipsCountedFrom}, so a release shortfall here is the kernel's (--probe-type auto counts releases at release_task)`,
      };

/** Counters whose probes fire in softirq (an RCU callback), where the recursion guard can skip them. */
const firedInSoftirq: ReadonlySet<string> = new Set(['release']);

/** Whether the kernel's skips account for a shortfall of this counter: its own count, or its reason where it keeps none. */
export const skippedByKernel = (counter: string, shortfall: number, skips: KernelSkips): boolean =>
  firedInSoftirq.has(counter) && shortfall > 0 && (BigInt(shortfall) <= skips.runs || skips.uncounted !== undefined);

export const skippedNote = (skips: KernelSkips): string =>
  skips.uncounted ??
  `the kernel skipped ${skips.runs} run(s) of this backend's programs in the window (recursion_misses): a release fires in ` +
    'softirq, and a perf tracepoint program is not run when that interrupts another tracing BPF program on the same CPU; ' +
    'the shortfall is within them';
