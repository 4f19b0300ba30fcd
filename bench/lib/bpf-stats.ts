// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel's own run-time statistics of BPF programs: with kernel.bpf_stats_enabled=1 the kernel adds up,
// per program, how often it ran (run_cnt) and for how long (run_time_ns). That figure is the program's work
// alone, which a busy neighbour barely moves, where the workload's CPU time is noisy. The sysctl is global:
// it is set only around the runs that read it, and its previous value is always put back (also when the
// bench is interrupted: restoreBpfStats() is synchronous for the signal handler).
import { readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { z } from 'zod';
import { fdinfoOfAll, programsIn } from '../../src/self-cost/bpf-fdinfo.js';

const sysctl = '/proc/sys/kernel/bpf_stats_enabled';
/** The value found before the bench changed it; undefined while the bench has not changed it. */
let saved: string | undefined;

export const restoreBpfStats = (): void => {
  if (saved === undefined) return;
  writeFileSync(sysctl, saved);
  saved = undefined;
};

/** Runs `work` with the statistics on, and puts the sysctl back as it was, whatever happens. */
export const withBpfStats = async <T>(work: () => Promise<T>): Promise<T> => {
  saved ??= readFileSync(sysctl, 'utf8').trim();
  writeFileSync(sysctl, '1');
  try {
    return await work();
  } finally {
    restoreBpfStats();
  }
};

export interface ProgramStats {
  readonly id: number;
  readonly name: string;
  readonly runCount: number;
  readonly runTimeNs: number;
}

const progList = z.array(
  z.object({ id: z.number(), name: z.string().optional(), run_cnt: z.number().optional(), run_time_ns: z.number().optional() }).loose(),
);

/** Run counts and times so far of every program the processes hold (zero while the statistics are off). */
export const programStats = async (pids: readonly number[]): Promise<ProgramStats[]> => {
  // Only the processes the bench started, never anyone else's programs.
  const ids = new Set(programsIn(fdinfoOfAll(pids)).keys());
  if (ids.size === 0) return [];
  const { stdout } = await execa('bpftool', ['prog', 'show', '--json']);
  return progList
    .parse(JSON.parse(stdout || '[]'))
    .filter((prog) => ids.has(prog.id))
    .map((prog) => ({ id: prog.id, name: prog.name ?? '', runCount: prog.run_cnt ?? 0, runTimeNs: prog.run_time_ns ?? 0 }));
};

/** What each program did between two readings; programs that did not run are left out. */
export const programDelta = (before: readonly ProgramStats[], after: readonly ProgramStats[]): ProgramStats[] =>
  after
    .map((now) => {
      const then = before.find((each) => each.id === now.id);
      return { ...now, runCount: now.runCount - (then?.runCount ?? 0), runTimeNs: now.runTimeNs - (then?.runTimeNs ?? 0) };
    })
    .filter((each) => each.runCount > 0);

/** What the processes' programs did while `work` ran, with the statistics on for that time only. */
export const programsDuring = async (pids: readonly number[], work: () => Promise<unknown>): Promise<ProgramStats[]> =>
  withBpfStats(async () => {
    const before = await programStats(pids);
    await work();
    return programDelta(before, await programStats(pids));
  });

/** Run time per run over all the programs: one run per event. */
export const nsPerRun = (programs: readonly ProgramStats[]): number =>
  programs.reduce((sum, program) => sum + program.runTimeNs, 0) / programs.reduce((sum, program) => sum + program.runCount, 0);
