// SPDX-License-Identifier: GPL-3.0-or-later
// How many tracepoint attachments (raw ones too: the helper hooks sched_process_free raw) a set of processes
// holds (bpftool perf list), to show that the floor and
// each backend really sit on the same number of tracepoints while they are measured, and to notice
// tracers of other users of the machine, whose programs would slow the workload too.
import { execa } from 'execa';
import { z } from 'zod';

const perfList = z.array(z.object({ pid: z.number(), fd_type: z.string() }).loose());

const tracepointOwners = async (): Promise<number[]> => {
  const { stdout } = await execa('bpftool', ['perf', 'list', '--json']);
  return perfList
    .parse(JSON.parse(stdout || '[]'))
    .filter((entry) => ['tracepoint', 'raw_tracepoint'].includes(entry.fd_type))
    .map((entry) => entry.pid);
};

/** Tracepoint attachments held by these pids. */
export const attachedTracepoints = async (pids: readonly number[]): Promise<number> =>
  (await tracepointOwners()).filter((pid) => pids.includes(pid)).length;

/** Tracepoint attachments held by anyone else. */
export const foreignTracepoints = async (ours: readonly number[]): Promise<number> =>
  (await tracepointOwners()).filter((pid) => !ours.includes(pid)).length;
