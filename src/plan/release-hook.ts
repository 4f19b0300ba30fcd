// SPDX-License-Identifier: GPL-3.0-or-later
// How a backend hooks sched_process_free, and so where auto counts releases. The event fires from an RCU callback in
// softirq. As a perf tracepoint (bpftrace's `tracepoint:`) the kernel does not run it while any tracing BPF program
// runs on that CPU (the global bpf_prog_active guard), so releases are lost on busy hosts; a raw tracepoint's guard
// is per program. release_task, the function family's target, runs in process context, where no program of ours is
// interrupted: where the backend can hook the event only as a perf tracepoint, auto takes release_task first.
import type { ProbeDefinition } from './catalogue-types.js';
import type { Family } from './families.js';
import type { Backend, Plan, Rejection } from './plan-types.js';
import type { KernelFacts } from '../kernel/facts.js';
import { bpftraceMinor } from '../kernel/version-number.js';

export const freedEvent = { event: 'sched:sched_process_free', raw: 'sched_process_free' } as const;

/** Whether a bpftrace release hooks the event `rawtracepoint:EVENT`, its argument cast to a kernel struct (with
 *  kernel BTF), or why not. 0.17 has none (it aborts on the probe type); 0.23.2 attaches the bare event. 0.24+
 *  (measured on 0.27.1) takes a raw tracepoint only where the traceable functions list its `__probestub_EVENT` (it
 *  reads `rawtracepoint:sched:EVENT` as module `sched`): where the kernel hides available_filter_functions (this one:
 *  EPERM even for root), 0.27.1 refused it ("Probe has no valid attach points") until the stub was named with
 *  `--traceable-functions` (findsStub: rawReleaseChoice decides per host). */
export type RawRelease = { readonly raw: true; readonly findsStub: boolean } | { readonly raw: false; readonly why: string };

export const bpftraceRawRelease = (minor: number): RawRelease =>
  minor < 23 ? { raw: false, why: 'no rawtracepoint before bpftrace 0.23 here' } : { raw: true, findsStub: minor >= 24 };

/** The host facts the choice depends on. */
export interface ReleaseHost {
  /** Kernel BTF at /sys/kernel/btf/vmlinux, to read the freed task with. */
  readonly kernelBtf: boolean;
  /** Whether root can read available_filter_functions, where bpftrace 0.24+ looks for the raw event. */
  readonly filterFunctionsReadable: boolean;
}

/** Raw, with the traceable functions bpftrace must be handed (`--traceable-functions`), or why not. */
export type ReleaseChoice =
  | { readonly raw: true; readonly traceableFunctions?: readonly string[] }
  | { readonly raw: false; readonly why: string };

/** Whether a bpftrace script hooks the release raw on this host, or why not (for the script's header). */
export const rawReleaseChoice = (
  bpftrace: { readonly version: string; readonly rawRelease: RawRelease },
  host: ReleaseHost,
): ReleaseChoice => {
  if (!bpftrace.rawRelease.raw) return bpftrace.rawRelease;
  if (!host.kernelBtf) return { raw: false, why: 'the kernel has no BTF to read the freed task with' };
  if (!bpftrace.rawRelease.findsStub) return { raw: true };
  // 0.24+ attaches the raw event only where the traceable functions list its stub. Where the kernel hides the
  // list, naming the stub is all bpftrace lacks (the event is the tracepoint tracefs shows). Where the kernel shows
  // it, bpftrace reads it itself, and whether it lists the stub depends on the kernel: not tried, so not used.
  return host.filterFunctionsReadable
    ? {
        raw: false,
        why:
          `bpftrace ${bpftrace.version} hooks it raw only through __probestub_${freedEvent.raw} in available_filter_functions, ` +
          'not tried on a kernel that shows that file',
      }
    : { raw: true, traceableFunctions: [`__probestub_${freedEvent.raw}`] };
};

// The helper always hooks it raw (src/backend/helper/program-names.ts); a script printed for a host without
// bpftrace is written for 0.17 (src/cli/script-command.ts).
/** The host facts a backend's release hook depends on. */
export type ReleaseFacts = Pick<KernelFacts, 'btf' | 'bpftrace' | 'filterFunctionsReadable'>;
const backendReleaseChoice = (backend: Backend, facts: ReleaseFacts): ReleaseChoice => {
  if (backend === 'helper') return { raw: true };
  const version = facts.bpftrace?.version ?? '0.17.0';
  return rawReleaseChoice(
    { version, rawRelease: bpftraceRawRelease(bpftraceMinor(version)) },
    { kernelBtf: facts.btf, filterFunctionsReadable: facts.filterFunctionsReadable },
  );
};

/** Auto's order for a probe, and, where the release's tracepoint goes last, the note that says why (shown as the
 *  tracepoint's rejection when a function family is chosen). */
export const autoOrder = (
  probe: ProbeDefinition,
  backend: Backend,
  facts: KernelFacts,
): { order: Family[]; tracepointLast?: Rejection } => {
  const order = [...probe.order];
  if (!probe.tracepoints.some((group) => group.events?.includes(freedEvent.event))) return { order };
  const choice = backendReleaseChoice(backend, facts);
  if (choice.raw) return { order };
  return {
    order: [...order.filter((family) => family !== 'tracepoint'), 'tracepoint'],
    tracepointLast: {
      family: 'tracepoint',
      reason:
        `${freedEvent.event} would be a perf tracepoint (${choice.why}), which the kernel skips while another BPF ` +
        'program runs on that CPU: release_task, in process context, goes first',
    },
  };
};

/** Whether the plan counts releases on the perf tracepoint, where the kernel's recursion guard skips some. */
export const releaseOnPerfTracepoint = (plan: Plan, facts: ReleaseFacts): boolean =>
  !backendReleaseChoice(plan.backend, facts).raw &&
  plan.probes.some((probe) => probe.chosen?.attachPoints.includes(`tracepoint:${freedEvent.event}`));
