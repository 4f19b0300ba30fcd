// SPDX-License-Identifier: GPL-3.0-or-later
// Run the built workload through its two barriers and return its validated report.
//
// The tracer's window, which the expected counts assume (see expected.ts):
//   launchWorkload()  -> the workload printed its pid and waits in read(2); attach the tracer now
//   run.start()       -> measured section begins (the waiting read(2) returns inside the window)
//   run.untilDone()   -> measured section over; the workload wrote its done line and waits in read(2) again;
//                        read the counters, then stop the tracer
//   run.finish()      -> the workload writes its report and exits
// "Waits in read(2)" is checked, not assumed: a line is printed before its read(2) is entered, and a slow guest
// (seen on sid's kernel under TCG) entered the end barrier's read only after the window had been read.
import { createInterface } from 'node:readline';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { z } from 'zod';
import { hasEnded, statFields } from '../self-cost/proc-stat.js';
import { SelftestError } from './selftest-error.js';
import { parseWorkloadReport, type WorkloadReport } from './workload-report.js';

export const workloadOptionsSchema = z
  .object({
    rounds: z.number().int().min(1).max(10_000),
    /** Where the workload makes its private directory of files: a directory only we can write, e.g. the build's. */
    dir: z.string().refine((dir) => path.isAbsolute(dir), 'an absolute path'),
  })
  .strict();
export type WorkloadOptions = z.infer<typeof workloadOptionsSchema>;

export interface WorkloadRun {
  readonly pid: number;
  /** Release the start barrier. */
  readonly start: () => Promise<void>;
  /** Resolves when the measured section is over. */
  readonly untilDone: () => Promise<void>;
  /** Release the end barrier and wait for the report and the exit. */
  readonly finish: () => Promise<WorkloadReport>;
  /** Before start(): close its stdin, so it removes its files and exits without doing anything. */
  readonly cancel: () => Promise<void>;
  /** Kill the workload (error paths); its leftover files go with the caller's directory. */
  readonly kill: () => Promise<void>;
}

const failed = (message: string, cause?: unknown) => new SelftestError('ebpf.selftest.workload-failed', message, { cause });

const eventOf = (line: string): unknown => {
  try {
    return (JSON.parse(line) as { event?: unknown }).event;
  } catch {
    return undefined;
  }
};

const blockedWithin = 30_000;

// After a barrier line the workload's only blocking call is the barrier's read(2) on its stdin pipe: once it
// sleeps, that read has entered the kernel (and any read probe has fired).
const untilBlocked = async (pid: number, barrier: string): Promise<void> => {
  const deadline = Date.now() + blockedWithin;
  for (let state = statFields(pid)?.[0]; state !== 'S'; state = statFields(pid)?.[0]) {
    if (hasEnded(state)) throw failed(`The workload (pid ${pid}) ended before it blocked in its ${barrier} read`);
    if (Date.now() > deadline) {
      throw failed(`The workload (pid ${pid}) did not block in its ${barrier} read within ${blockedWithin / 1000} s (state ${state})`);
    }
    await sleep(5);
  }
};

export const launchWorkload = async (binary: string, options: WorkloadOptions): Promise<WorkloadRun> => {
  const parsed = workloadOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SelftestError('ebpf.selftest.bad-option', `Invalid workload options: ${z.prettifyError(parsed.error)}`);
  }
  const { rounds, dir } = parsed.data;
  const subprocess: ResultPromise = execa(binary, ['--rounds', String(rounds), '--dir', dir], { reject: false });
  const lines = createInterface({ input: subprocess.stdout! })[Symbol.asyncIterator]();

  // The next stdout line; if the workload ended instead, its exit status and stderr say why.
  const nextLine = async (expected: string): Promise<string> => {
    const next = await lines.next();
    if (!next.done && eventOf(next.value) === expected) return next.value;
    const result = await subprocess;
    if (!next.done) throw failed(`The workload printed \`${next.value.slice(0, 200)}\` where its ${expected} line belongs`);
    throw failed(
      `The workload ended before its ${expected} line (${result.shortMessage ?? `exit code ${result.exitCode}`}): ` +
        `${String(result.stderr).trim() || 'no message'}`,
      result,
    );
  };
  const release = () =>
    new Promise<void>((resolve, reject) => {
      subprocess.stdin!.write('g', (error) =>
        error ? reject(failed('Cannot release the workload barrier: its stdin is closed', error)) : resolve(),
      );
    });

  const readyLine = await nextLine('ready');
  const pid = z.object({ pid: z.number().int().positive() }).parse(JSON.parse(readyLine)).pid;
  await untilBlocked(pid, 'start barrier');
  return {
    pid,
    start: release,
    untilDone: async () => {
      await nextLine('done');
      await untilBlocked(pid, 'end barrier');
    },
    finish: async () => {
      await release();
      subprocess.stdin!.end();
      const reportLine = await nextLine('report');
      const result = await subprocess;
      if (result.failed) throw failed(`The workload failed after its report: ${result.shortMessage}\n${String(result.stderr)}`, result);
      const report = parseWorkloadReport(reportLine);
      if (report.pid !== pid || report.rounds !== rounds) {
        throw failed(`The report is for pid ${report.pid}, ${report.rounds} rounds; the workload run was pid ${pid}, ${rounds} rounds`);
      }
      return report;
    },
    cancel: async () => {
      subprocess.stdin!.end();
      const result = await subprocess;
      // Exit 3 is the workload's "stdin closed before the start barrier".
      if (result.exitCode !== 3) throw failed(`The cancelled workload ended with ${result.shortMessage ?? 'exit code 0'}`, result);
    },
    kill: async () => {
      subprocess.kill('SIGKILL');
      await subprocess;
    },
  };
};
