// SPDX-License-Identifier: GPL-3.0-or-later
// A selftest run: the known workload under this host's plan, filtered to its process tree, every counter compared
// with what the workload did. Filtered, a counter must equal it; `systemWide` counts without the filter: then every
// counter must reach the workload's number and exceed it by no more than the host's measured background. With `who`,
// the counters are also kept per cgroup / per command name and those are compared (who-run.ts). The run returns
// what it found; printing it is the command's.
import type { BackendAvailability } from '../backend/backend-order.js';
import { backendFactories, type FactoryOptions } from '../backend/backend-factories.js';
import type { CounterId, Mode } from '../plan/counters.js';
import { planProbes, planRequest, type PlanSettings } from '../plan/plan-probes.js';
import type { Plan, PlanRequest } from '../plan/plan-types.js';
import type { KeyedSample, Sample } from '../samples/sample-assembler.js';
import { attachWithReplans, fallingBack } from '../supervise/attach-with-replans.js';
import { runBackend, type BackendRun } from '../supervise/run-backend.js';
import { buildWorkload } from './build-workload.js';
import { earlyExitMessage } from './early-exit.js';
import { expectCounts, type CounterExpectation, type Expectations, type UncollectedCounter } from './expected.js';
import { cleanUpOnInterrupt } from './on-interrupt.js';
import { kernelSkips, recursionMisses, skippedByKernel, type KernelSkips } from './recursion-misses.js';
import { launchWorkload } from './run-workload.js';
import { carryKeyed, increase } from './sample-window.js';
import { SelftestError } from './selftest-error.js';
import { backgroundIncreases, judgeSystemWide, type Background } from './system-wide.js';
import { prepareWho, type KeyedTable, type WhoRequest, type WhoRun } from './who-run.js';

export interface SelftestRequest {
  /** What the backends' commands are made from: the host's facts, the configured bpftrace's problem, the helper. */
  readonly host: Omit<FactoryOptions, 'updateEvery' | 'selfStats'>;
  readonly config: PlanSettings['config'];
  readonly backend: BackendAvailability;
  readonly rounds: number;
  readonly systemWide: boolean;
  readonly who: WhoRequest | undefined;
}

/** One counter on the host: its expectation (expected.ts) and what was counted. `excess` and `allowance` are set
 *  system-wide (counted minus expected, and its bound). */
export type HostRow = Pick<CounterExpectation, 'counter' | 'expected' | 'attachPoints' | 'notes'> & {
  readonly counted: number;
  /** ok; SKIPPED: short only by runs the kernel skipped; filtered MISMATCH, or system-wide BELOW / ABOVE. */
  readonly verdict: 'ok' | 'SKIPPED' | 'MISMATCH' | 'BELOW' | 'ABOVE';
  readonly excess?: number;
  readonly allowance?: number;
};

export interface SelftestResult {
  /** What ran, as asked (`who`: the keys counted besides the host), in the plan's mode, on the kernel's release. */
  readonly ran: Pick<SelftestRequest, 'rounds' | 'backend' | 'systemWide' | 'who'> & { readonly mode: Mode; readonly kernel: string };
  /** Samples the window spans. */
  readonly intervals: number;
  /** System-wide: how many background intervals were measured before the window, and as many after it. */
  readonly backgroundIntervals: number;
  readonly host: readonly HostRow[];
  /** Counters of the mode that this host's plan cannot collect, and why. */
  readonly uncollected: readonly UncollectedCounter[];
  /** Per cgroup, then per command name, when asked for. */
  readonly keyed: readonly KeyedTable[];
  /** Runs of the backend's programs the kernel skipped in the window (recursion_misses; 0 when unreadable), and
   *  where it counts none of the release's hook, why. */
  readonly skips: KernelSkips;
  /** Rows that fail, on the host and per key. */
  readonly failures: number;
  /** Rows short only by runs the kernel skipped. */
  readonly skippedRows: number;
  /** exact: every row passes; skipped: every row passes, some only by the kernel's skips; failed: a row fails. */
  readonly verdict: 'exact' | 'skipped' | 'failed';
}

/** One sample: the host's running totals and, when the plan keeps keys, the same per key value. */
interface Interval {
  readonly totals: Sample;
  readonly keyed: KeyedSample;
}

// Samples are handed out in order, none skipped: two can arrive in one read of a busy backend's stdout, and a
// window or a background interval judged on one sample must end at that sample.
interface Attached {
  plan: Plan;
  run: BackendRun;
  next: () => Promise<Interval>;
  /** Marks every sample that has arrived as consumed: the next one is taken after this moment. */
  skipArrived: () => void;
  last: () => Interval | undefined;
  consumed: () => number;
}

const emptySample: Sample = new Map();
const emptyInterval: Interval = { totals: emptySample, keyed: new Map() };
const backgroundIntervals = 3;

// Plan, start, and wait for the first sample: a plan with tracepoints only is attached once it prints.
// An attach failure re-plans without the refused points, as the plugin does.
const startAttached = (host: SelftestRequest['host'], request: PlanRequest): Promise<Attached> => {
  const { backend } = request;
  return attachWithReplans<Attached>({
    plan: (refused) => planProbes(host.facts, { ...request, refused }),
    // Said on stderr: a run that ends with nothing left to attach shows what each refusal was.
    onRefused: (fresh) => fresh.forEach((refusal) => process.stderr.write(`selftest: ${backend}: ${fallingBack(refusal)}\n`)),
    run: async (plan) => {
      const command = await backendFactories({ ...host, updateEvery: 1 })[backend](plan);
      if (!command.ok) throw new SelftestError('ebpf.selftest.no-backend', `${backend}: ${command.reason}`);
      const queued: Interval[] = [];
      const waiters: Array<(interval: Interval) => void> = [];
      let last: Interval | undefined;
      let consumed = 0;
      let keyedSoFar: KeyedSample = new Map();
      const run = runBackend(command.value, {
        onSample: (totals, printed) => {
          keyedSoFar = carryKeyed(keyedSoFar, printed);
          const keyed = keyedSoFar;
          const wake = waiters.shift();
          if (wake) wake({ totals, keyed });
          else queued.push({ totals, keyed });
        },
      });
      const taken = (interval: Interval): Interval => {
        last = interval;
        consumed += 1;
        return interval;
      };
      const next = async (): Promise<Interval> =>
        taken(queued.shift() ?? (await new Promise<Interval>((resolve) => waiters.push(resolve))));
      const skipArrived = (): void => {
        queued.splice(0).forEach(taken);
      };
      const first = await Promise.race([next(), run.exited]);
      return 'totals' in first ? { result: { plan, run, next, skipArrived, last: () => last, consumed: () => consumed } } : { exit: first };
    },
    otherExit: (exit) => {
      throw new SelftestError('ebpf.selftest.backend-failed', earlyExitMessage(backend, exit.stderr));
    },
    gaveUp: () => {
      throw new SelftestError('ebpf.selftest.backend-failed', `${backend} kept refusing attach points`);
    },
  });
};

const counted = (sample: Sample | undefined, counter: CounterId): number => Number(sample?.get(counter) ?? 0n);

// The host's own activity, interval by interval, while the workload waits at a barrier.
const measureBackground = async (attached: Attached): Promise<Sample[]> => {
  const samples = [attached.last()?.totals ?? emptySample];
  while (samples.length <= backgroundIntervals) samples.push((await attached.next()).totals);
  return samples;
};

const backgroundAround = (counters: readonly CounterId[], before: readonly Sample[], after: readonly Sample[]): Background => {
  const [early, late] = [backgroundIncreases(before, counters), backgroundIncreases(after, counters)];
  return new Map(counters.map((counter) => [counter, [...early.get(counter)!, ...late.get(counter)!]]));
};

const judgeFiltered = (expectations: Expectations, sample: Sample, skips: KernelSkips): HostRow[] =>
  expectations.counters.map(({ counter, expected, attachPoints, notes }) => {
    const value = counted(sample, counter);
    const verdict = value === expected ? 'ok' : skippedByKernel(counter, expected - value, skips) ? 'SKIPPED' : 'MISMATCH';
    return { counter, expected, counted: value, verdict, attachPoints, notes };
  });

const judgeUnfiltered = (
  expectations: Expectations,
  window: Sample,
  background: Background,
  intervals: number,
  skips: KernelSkips,
): HostRow[] =>
  expectations.counters.map(({ counter, expected, attachPoints, notes }) => {
    const value = counted(window, counter);
    const judged = judgeSystemWide(counter, expected, value, background.get(counter) ?? [], intervals);
    const kernelSkipped = judged.verdict === 'BELOW' && skippedByKernel(counter, -judged.excess, skips);
    const verdict = kernelSkipped ? 'SKIPPED' : judged.verdict;
    return { counter, expected, counted: value, verdict, attachPoints, notes, excess: judged.excess, allowance: judged.allowance };
  });

const tally = (host: readonly HostRow[], keyed: readonly KeyedTable[]): Pick<SelftestResult, 'failures' | 'skippedRows' | 'verdict'> => {
  const keyedRows = keyed.flatMap((table) => table.rows);
  const failures =
    host.filter((row) => row.verdict !== 'ok' && row.verdict !== 'SKIPPED').length +
    keyedRows.filter((row) => row.verdict === 'MISMATCH').length;
  const skippedRows = host.filter((row) => row.verdict === 'SKIPPED').length + keyedRows.filter((row) => row.kernelSkipped).length;
  return { failures, skippedRows, verdict: failures ? 'failed' : skippedRows ? 'skipped' : 'exact' };
};

export const runSelftest = async (request: SelftestRequest): Promise<SelftestResult> => {
  const { rounds, systemWide } = request;
  const built = await buildWorkload();
  let who: WhoRun | undefined;
  let workload: Awaited<ReturnType<typeof launchWorkload>> | undefined;
  let attached: Attached | undefined;
  // Once, whether the run ends, fails or is interrupted (then it may already be under way when `finally` asks).
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await attached?.run.stop();
      await workload?.kill().catch(() => {});
      // Its tasks are gone: the cgroup made for the run can go.
      try {
        await who?.cleanup();
      } finally {
        await built.remove();
      }
    })());
  const stopListening = cleanUpOnInterrupt(cleanup);
  try {
    who = request.who && (await prepareWho(request.who));
    workload = await launchWorkload(built.binary, { rounds, dir: built.dir });
    await who?.enter(workload.pid);
    // The workload's process tree instead of --pid/--comm (selftest has neither flag).
    const filter = systemWide ? undefined : { pid: workload.pid };
    attached = await startAttached(request.host, planRequest({ config: request.config, filter }, request.backend.backend, who?.sizes));
    const backgroundBefore = systemWide ? await measureBackground(attached) : [emptySample];
    const before = backgroundBefore.at(-1)!;
    const startedAt = attached.consumed();
    const missesBefore = recursionMisses(attached.run.pid ?? 0);
    await workload.start();
    await workload.untilDone();
    // A sample taken while the workload ran cannot end the window.
    attached.skipArrived();
    // Releases trail exits by an RCU grace period: wait for them (a few samples; on a loaded host, seen in
    // CI, some came only after 10).
    let window = emptySample;
    let end = emptyInterval;
    for (let waited = 0; waited < 30; waited += 1) {
      end = await attached.next();
      window = increase(before, end.totals);
      if (counted(window, 'release') >= counted(window, 'exit') && waited >= 1) break;
    }
    const intervals = attached.consumed() - startedAt;
    const missesAfter = recursionMisses(attached.run.pid ?? 0);
    // Unreadable (a capable helper run by an unprivileged user): no skip is known, none is excused.
    const skipped = missesBefore !== undefined && missesAfter !== undefined ? missesAfter - missesBefore : 0n;
    const skips = kernelSkips(skipped, attached.plan, request.host.facts);
    const backgroundAfter = systemWide ? await measureBackground(attached) : [];
    await attached.run.stop();
    const expectations = expectCounts(await workload.finish(), attached.plan);
    const host = systemWide
      ? judgeUnfiltered(expectations, window, backgroundAround([...window.keys()], backgroundBefore, backgroundAfter), intervals, skips)
      : judgeFiltered(expectations, window, skips);
    // Filtered, the window starts from nothing counted: the keyed totals at its end are the window's.
    const keyed = who?.compare(expectations, attached.plan, { host: window, from: emptyInterval.keyed, to: end.keyed }, skips) ?? [];
    return {
      ran: { rounds, backend: request.backend, systemWide, who: request.who, mode: expectations.mode, kernel: request.host.facts.release },
      intervals,
      backgroundIntervals,
      host,
      uncollected: expectations.uncollected,
      keyed,
      skips,
      ...tally(host, keyed),
    };
  } finally {
    stopListening();
    await cleanup();
  }
};
