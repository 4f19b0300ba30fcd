// SPDX-License-Identifier: GPL-3.0-or-later
// The report selftest/workload.c prints after its measured section: what it did, call by call kind. The schema
// also checks the report against itself, so a workload that miscounts is caught before any comparison.
import { z } from 'zod';
import { SelftestError } from './selftest-error.js';

/** Syscalls the workload makes directly, and the two libc functions it calls (fork(3), pthread_create(3)). */
export const workloadCalls = [
  'open',
  'openat',
  'openat2',
  'creat',
  'close',
  'unlink',
  'unlinkat',
  'read',
  'pread64',
  'readv',
  'preadv',
  'preadv2',
  'write',
  'pwrite64',
  'writev',
  'pwritev',
  'pwritev2',
  'fork',
  'pthread_create',
  'clone',
  'clone3',
] as const;
export type WorkloadCall = (typeof workloadCalls)[number];

/** What kind of call: it succeeded, or it failed for one stated cause with one errno. */
export const callKinds = {
  ok: 'succeeded',
  missing: 'failed with ENOENT: the path does not exist',
  is_dir: 'failed with EISDIR: the path is a directory',
  rmdir: 'removed an empty directory (unlinkat with AT_REMOVEDIR)',
  fd_not_open: 'failed with EBADF: the descriptor is not open',
  wrong_mode: 'failed with EBADF: the descriptor is open for the other direction',
  thread_einval: 'failed with EINVAL: CLONE_THREAD without CLONE_SIGHAND',
  process_einval: 'failed with EINVAL: CLONE_SIGHAND without CLONE_VM',
  bad_size: 'failed with EINVAL: clone_args smaller than its first version (64 bytes)',
} as const;
export type CallKind = keyof typeof callKinds;
const callKindNames = Object.keys(callKinds) as [CallKind, ...CallKind[]];

export const succeeds = (kind: CallKind): boolean => kind === 'ok' || kind === 'rmdir';

const readWriteKinds: readonly CallKind[] = ['ok', 'fd_not_open', 'wrong_mode'];
const openKinds: readonly CallKind[] = ['ok', 'missing'];
const unlinkKinds: readonly CallKind[] = ['ok', 'missing', 'is_dir'];

/** The kinds each call may report: anything else means the workload and this schema disagree. */
export const kindsOfCall: Readonly<Record<WorkloadCall, readonly CallKind[]>> = {
  open: openKinds,
  openat: openKinds,
  openat2: openKinds,
  creat: ['ok'],
  close: ['ok', 'fd_not_open'],
  unlink: unlinkKinds,
  unlinkat: [...unlinkKinds, 'rmdir'],
  read: readWriteKinds,
  pread64: readWriteKinds,
  readv: readWriteKinds,
  preadv: readWriteKinds,
  preadv2: readWriteKinds,
  write: readWriteKinds,
  pwrite64: readWriteKinds,
  writev: readWriteKinds,
  pwritev: readWriteKinds,
  pwritev2: readWriteKinds,
  fork: ['ok'],
  pthread_create: ['ok'],
  clone: ['thread_einval', 'process_einval'],
  clone3: ['bad_size'],
};

const amount = z.number().int().nonnegative();

const tallySchema = z
  .object({
    call: z.enum(workloadCalls),
    kind: z.enum(callKindNames),
    calls: z.number().int().positive(),
    failed: amount,
    /** Bytes asked for: the count argument, or the sum of the iovec lengths. */
    requested: amount,
    /** Bytes the successful calls returned. */
    transferred: amount,
  })
  .strict()
  .superRefine((tally, context) => {
    const problem = (message: string) => context.addIssue({ code: 'custom', message: `${tally.call} (${tally.kind}): ${message}` });
    if (!kindsOfCall[tally.call].includes(tally.kind)) problem(`the workload never makes this kind of ${tally.call} call`);
    const failed = succeeds(tally.kind) ? 0 : tally.calls;
    if (tally.failed !== failed) problem(`expected ${failed} of ${tally.calls} calls to fail, the report says ${tally.failed}`);
    if (tally.transferred > tally.requested) problem(`transferred ${tally.transferred} bytes of ${tally.requested} requested`);
  });

/** A barrier call: the read(2) of one byte from stdin, or the write(2) of the done line. */
const barrierCallSchema = <Call extends 'read' | 'write'>(call: Call) =>
  z
    .object({
      call: z.literal(call),
      requested: z.number().int().positive(),
      transferred: amount,
    })
    .strict()
    .refine((barrier) => barrier.transferred <= barrier.requested, { message: 'a barrier call transferred more than it asked for' });

export const workloadReportSchema = z
  .object({
    event: z.literal('report'),
    version: z.literal(1),
    pid: z.number().int().positive(),
    rounds: z.number().int().min(1).max(10_000),
    calls: z.array(tallySchema),
    /** Tasks the workload created that have exited, and that have been released (reaped) again. */
    tasks: z.object({ exited: amount, released: amount }).strict(),
    /**
     * start: entered before the tracer's window, returns inside it; done: wholly inside;
     * end: entered inside the window, returns after it.
     */
    barrier: z.object({ start: barrierCallSchema('read'), done: barrierCallSchema('write'), end: barrierCallSchema('read') }).strict(),
  })
  .strict()
  .superRefine((report, context) => {
    const seen = new Set<string>();
    for (const tally of report.calls) {
      const key = `${tally.call} (${tally.kind})`;
      if (seen.has(key)) context.addIssue({ code: 'custom', message: `${key} is reported twice` });
      seen.add(key);
    }
  });

export type WorkloadReport = z.infer<typeof workloadReportSchema>;
export type CallTally = WorkloadReport['calls'][number];

/** Validate a report line; the error names every field that is wrong. */
export const parseWorkloadReport = (line: string): WorkloadReport => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new SelftestError(
      'ebpf.selftest.bad-report',
      `The workload's report is not JSON (${(error as Error).message}): ${line.slice(0, 200)}`,
      { cause: error },
    );
  }
  const parsed = workloadReportSchema.safeParse(value);
  if (!parsed.success) {
    throw new SelftestError(
      'ebpf.selftest.bad-report',
      `The workload's report does not match its schema (rebuild it from this ` +
        `package's selftest/workload.c):\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
};
