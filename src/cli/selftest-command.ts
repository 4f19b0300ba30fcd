// SPDX-License-Identifier: GPL-3.0-or-later
// `selftest`: run the known workload under this host's plan, filtered to its process tree, and compare every
// counter with what the workload did. Exit 1 on any mismatch. `--system-wide` counts without the filter: then
// every counter must reach the workload's number and exceed it by no more than the host's measured background.
// `--cgroups` / `--apps` also keep the counters per cgroup / per command name and compare those (who-run.ts).
import { attachWithReplans, fallingBack } from '../supervise/attach-with-replans.js';
import { runBackend, type BackendRun } from '../supervise/run-backend.js';
import type { CounterId } from '../plan/counters.js';
import { planProbes, planRequest } from '../plan/plan-probes.js';
import type { Plan, PlanRequest } from '../plan/plan-types.js';
import type { KeyedSample, Sample } from '../samples/sample-assembler.js';
import { buildWorkload } from '../selftest/build-workload.js';
import { earlyExitMessage } from '../selftest/early-exit.js';
import { selftestBackend } from '../selftest/selftest-backend.js';
import { expectCounts, type Expectations } from '../selftest/expected.js';
import type { Judged } from '../selftest/keyed-comparison.js';
import { cleanUpOnInterrupt } from '../selftest/on-interrupt.js';
import { launchWorkload } from '../selftest/run-workload.js';
import { recursionMisses, skippedByKernel, skippedNote } from '../selftest/recursion-misses.js';
import { carryKeyed, increase } from '../selftest/sample-window.js';
import { backgroundIncreases, judgeSystemWide, type Background } from '../selftest/system-wide.js';
import { prepareWho, type WhoRun } from '../selftest/who-run.js';
import { CliError } from './cli-error.js';
import { backendFactories } from '../backend/backend-factories.js';
import { resolveHost, type Host } from './resolve-host.js';
import { configuredKeys } from './who-options.js';
import type { CommonFlags } from './settings.js';

export interface SelftestFlags extends CommonFlags {
  readonly rounds: string;
  readonly systemWide?: boolean;
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
const startAttached = (host: Host, request: PlanRequest): Promise<Attached> => {
  const { backend } = request;
  return attachWithReplans<Attached>({
    plan: (refused) => planProbes(host.facts, { ...request, refused }),
    // Said on stderr: a run that ends with nothing left to attach shows what each refusal was.
    onRefused: (fresh) => fresh.forEach((refusal) => process.stderr.write(`selftest: ${backend}: ${fallingBack(refusal)}\n`)),
    run: async (plan) => {
      const factories = backendFactories({
        facts: host.facts,
        bpftraceProblem: host.bpftraceProblem,
        helperPath: host.settings.config.helperPath,
        updateEvery: 1,
      });
      const command = await factories[backend](plan);
      if (!command.ok) throw new CliError(`${backend}: ${command.reason}`, 'ebpf.selftest.no-backend', 1);
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
      throw new CliError(earlyExitMessage(backend, exit.stderr), 'ebpf.selftest.backend-failed', 1);
    },
    gaveUp: () => {
      throw new CliError(`${backend} kept refusing attach points`, 'ebpf.selftest.backend-failed', 1);
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

/** `checked`: what was compared besides the host, when more was (--cgroups, --apps). */
const resultText = (failures: number, systemWide: boolean, skipped: number, checked?: string): string => {
  if (failures === 0 && skipped > 0) {
    return (
      `every counter ${systemWide ? "reached the workload's number within the host's background" : 'equals what the workload did'}, ` +
      'but for runs the kernel skipped (SKIPPED: see the note; rerun on a quieter host to see them counted).'
    );
  }
  if (!systemWide) {
    return failures
      ? `${failures} counter(s) differ from the workload.`
      : `every counter equals what the workload did${checked ? `: ${checked}` : ''}.`;
  }
  return failures
    ? `${failures} counter(s) fall outside [workload, workload + allowance]: BELOW means the probe misses calls; ` +
        'ABOVE means double counting, or a host busier during the window than before it (rerun on a quieter host).'
    : "every counter reached the workload's number and exceeded it by no more than the host's background.";
};

const printFiltered = (expectations: Expectations, sample: Sample, skipped: bigint): Judged => {
  console.log(`${'counter'.padEnd(14)} ${'expected'.padStart(9)} ${'counted'.padStart(9)}  verdict  attach points`);
  const judged: Judged = { failures: 0, skippedRows: 0 };
  for (const expectation of expectations.counters) {
    const value = counted(sample, expectation.counter);
    const kernelSkipped = skippedByKernel(expectation.counter, expectation.expected - value, skipped);
    const verdict = value === expectation.expected ? 'ok     ' : kernelSkipped ? 'SKIPPED ' : 'MISMATCH';
    judged.failures += verdict === 'MISMATCH' ? 1 : 0;
    judged.skippedRows += kernelSkipped ? 1 : 0;
    console.log(
      `${expectation.counter.padEnd(14)} ${String(expectation.expected).padStart(9)} ` +
        `${String(value).padStart(9)}  ${verdict} ${expectation.attachPoints.join(', ')}`,
    );
    for (const note of [...expectation.notes, ...(kernelSkipped ? [skippedNote(skipped)] : [])])
      console.log(`${''.padEnd(44)}note: ${note}`);
  }
  return judged;
};

const printSystemWide = (
  expectations: Expectations,
  window: Sample,
  background: Background,
  intervals: number,
  skipped: bigint,
): Judged => {
  console.log(
    `unfiltered: the window of ${intervals} interval(s) holds the workload and the rest of the host; the allowance is ` +
      `twice the busiest of ${2 * backgroundIntervals} background intervals around it (at least one call), per interval of the window\n`,
  );
  console.log(
    `${'counter'.padEnd(14)} ${'expected'.padStart(9)} ${'counted'.padStart(11)} ` +
      `${'excess'.padStart(11)} ${'allowance'.padStart(11)}  verdict  attach points`,
  );
  const result: Judged = { failures: 0, skippedRows: 0 };
  for (const expectation of expectations.counters) {
    const value = counted(window, expectation.counter);
    const judged = judgeSystemWide(expectation.counter, expectation.expected, value, background.get(expectation.counter) ?? [], intervals);
    const kernelSkipped = judged.verdict === 'BELOW' && skippedByKernel(expectation.counter, -judged.excess, skipped);
    const verdict = kernelSkipped ? 'SKIPPED' : judged.verdict;
    result.failures += verdict === 'ok' || verdict === 'SKIPPED' ? 0 : 1;
    result.skippedRows += kernelSkipped ? 1 : 0;
    console.log(
      `${expectation.counter.padEnd(14)} ${String(expectation.expected).padStart(9)} ${String(value).padStart(11)} ` +
        `${String(judged.excess).padStart(11)} ${String(judged.allowance).padStart(11)} ` +
        ` ${verdict.padEnd(7)}  ${expectation.attachPoints.join(', ')}`,
    );
    if (kernelSkipped) console.log(`${''.padEnd(60)}note: ${skippedNote(skipped)}`);
  }
  return result;
};

const whoRequest = (flags: SelftestFlags, host: Host) => {
  if (!flags.cgroups && !flags.apps) return undefined;
  if (flags.systemWide) {
    throw new CliError(
      "--cgroups and --apps compare the workload's own counts exactly, which needs the process filter: run them without --system-wide",
      'ebpf.flag.invalid',
    );
  }
  return configuredKeys(host.settings.config, { cgroups: flags.cgroups === true, apps: flags.apps === true });
};

const runHeading = (flags: SelftestFlags): string =>
  `${flags.systemWide ? ', system-wide' : ''}${flags.cgroups ? ', per cgroup' : ''}${flags.apps ? ', per command name' : ''}`;

export const runSelftest = async (flags: SelftestFlags): Promise<void> => {
  const host = await resolveHost(flags);
  const { settings, facts } = host;
  const rounds = /^\d{1,5}$/.test(flags.rounds) ? Number(flags.rounds) : NaN;
  if (!(rounds >= 1 && rounds <= 10_000))
    throw new CliError(`--rounds ${JSON.stringify(flags.rounds)}: expected 1-10000`, 'ebpf.flag.invalid');
  const backend = selftestBackend(settings.config.backend, host.availability, host.usable);
  if (!backend.ok) throw new CliError(backend.reason, 'ebpf.selftest.no-backend', 1);
  const chosen = backend.value;
  const requestedWho = whoRequest(flags, host);

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
    who = requestedWho && (await prepareWho(requestedWho));
    workload = await launchWorkload(built.binary, { rounds, dir: built.dir });
    await who?.enter(workload.pid);
    // The workload's process tree instead of --pid/--comm (selftest has neither flag).
    const filter = flags.systemWide ? undefined : { pid: workload.pid };
    attached = await startAttached(host, planRequest({ config: settings.config, filter }, chosen.backend, requestedWho));
    const backgroundBefore = flags.systemWide ? await measureBackground(attached) : [emptySample];
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
    const backgroundAfter = flags.systemWide ? await measureBackground(attached) : [];
    await attached.run.stop();
    const report = await workload.finish();
    const expectations = expectCounts(report, attached.plan);
    console.log(
      `selftest: ${rounds} rounds, mode ${expectations.mode}, backend ${chosen.backend}, kernel ${facts.release}` +
        `${runHeading(flags)}\n${chosen.detail}\n`,
    );
    const hostJudged = flags.systemWide
      ? printSystemWide(expectations, window, backgroundAround([...window.keys()], backgroundBefore, backgroundAfter), intervals, skipped)
      : printFiltered(expectations, window, skipped);
    for (const missing of expectations.uncollected) console.log(`${missing.counter.padEnd(14)} not collected here: ${missing.reason}`);
    // Filtered, the window starts from nothing counted: the keyed totals at its end are the window's.
    const whoJudged = who?.compare(expectations, attached.plan, { host: window, from: emptyInterval.keyed, to: end.keyed }, skipped);
    const failures = hostJudged.failures + (whoJudged?.failures ?? 0);
    const skippedRows = hostJudged.skippedRows + (whoJudged?.skippedRows ?? 0);
    console.log(`\nResult: ${resultText(failures, flags.systemWide === true, skippedRows, whoJudged?.checked)}`);
    if (failures) process.exitCode = 1;
  } finally {
    stopListening();
    await cleanup();
  }
};
