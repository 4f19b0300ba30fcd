// SPDX-License-Identifier: GPL-3.0-or-later
// The real workload: built with the host's cc, run through its barriers, its report checked against itself
// and, with bpftrace on syscall and task tracepoints filtered to its process tree, against the kernel.
import { stat, readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import test from 'ava';
import { execa } from 'execa';
import { buildWorkload } from '../../src/selftest/build-workload.js';
import { launchWorkload } from '../../src/selftest/run-workload.js';
import { SelftestError } from '../../src/selftest/selftest-error.js';
import type { WorkloadReport } from '../../src/selftest/workload-report.js';
import { cloneCalls, scalarCalls, tracedSyscalls, truthScript } from './truth-script.js';
import { assertRelease, skippedRuns } from '../helpers/kernel-skips.js';

const runThrough = async (rounds: number): Promise<WorkloadReport> => {
  const built = await buildWorkload();
  try {
    const run = await launchWorkload(built.binary, { rounds, dir: built.dir });
    await run.start();
    await run.untilDone();
    return await run.finish();
  } finally {
    await built.remove();
  }
};

const key = (tally: { call: string; kind: string }) => `${tally.call} (${tally.kind})`;

test('the build lands in a private directory that remove() deletes', async (t) => {
  const built = await buildWorkload();
  t.is((await stat(built.dir)).mode & 0o777, 0o700);
  t.true((await stat(built.binary)).isFile());
  await built.remove();
  await t.throwsAsync(stat(built.dir), { code: 'ENOENT' });
});

test('a missing compiler is refused with the package to install', async (t) => {
  const error = await t.throwsAsync(buildWorkload({ cc: 'no-such-cc-ebpf-process' }), { instanceOf: SelftestError });
  t.is(error?.code, 'ebpf.selftest.no-compiler');
  t.regex(error?.message ?? '', /apt-get install gcc libc6-dev/);
});

test('the report is self-consistent: three rounds are three times one, and every task exits and is reaped', async (t) => {
  const one = await runThrough(1);
  const three = await runThrough(3);
  t.deepEqual(three.calls.map(key), one.calls.map(key), 'the same calls in every round');
  for (const [index, tally] of three.calls.entries()) {
    const single = one.calls[index]!;
    t.deepEqual(
      [tally.calls, tally.failed, tally.requested, tally.transferred],
      [3 * single.calls, 3 * single.failed, 3 * single.requested, 3 * single.transferred],
      key(tally),
    );
  }
  for (const report of [one, three]) {
    const created = report.calls
      .filter((tally) => tally.call === 'fork' || tally.call === 'pthread_create')
      .reduce((total, tally) => total + tally.calls, 0);
    t.is(report.tasks.exited, created);
    t.is(report.tasks.released, created);
    t.deepEqual(report.barrier.start, { call: 'read', requested: 1, transferred: 1 });
    t.is(report.barrier.done.transferred, '{"event":"done"}\n'.length);
  }
  // Short reads at end of file: less transferred than asked for.
  const reads = one.calls.find((tally) => key(tally) === 'read (ok)')!;
  t.true(reads.transferred > 0 && reads.transferred < reads.requested);
});

test('bad options are refused, and a run cancelled before its start leaves no files', async (t) => {
  const built = await buildWorkload();
  try {
    const error = await t.throwsAsync(launchWorkload(built.binary, { rounds: 0, dir: built.dir }), { instanceOf: SelftestError });
    t.is(error?.code, 'ebpf.selftest.bad-option');
    const run = await launchWorkload(built.binary, { rounds: 1, dir: built.dir });
    t.is((await readdir(built.dir)).filter((name) => name.startsWith('workload.')).length, 1, 'its private directory exists');
    await run.cancel();
    t.deepEqual(
      (await readdir(built.dir)).filter((name) => name.startsWith('workload.')),
      [],
    );
  } finally {
    await built.remove();
  }
});

type Maps = Record<string, Record<string, number>>;

/** bpftrace with -f json: printf lines as they come, and the maps of the exit dump. */
const startTracer = (script: string) => {
  const tracer = execa('bpftrace', ['-f', 'json', '-e', script], { reject: false });
  const printed: string[] = [];
  const maps: Maps = {};
  const waiters: (() => void)[] = [];
  createInterface({ input: tracer.stdout! }).on('line', (line) => {
    if (!line.trim()) return;
    const message = JSON.parse(line) as { type: string; data: unknown };
    if (message.type === 'printf') printed.push(String(message.data).trim());
    if (message.type === 'map') Object.assign(maps, message.data);
    for (const wake of waiters.splice(0)) wake();
  });
  // Resolves once the lines printed so far satisfy the condition (true), or at the deadline (false); a tracer that
  // dies first fails the test.
  const until = async (condition: () => boolean, poke?: () => void, deadlineMs = Number.POSITIVE_INFINITY): Promise<boolean> => {
    const deadline = Date.now() + deadlineMs;
    while (!condition()) {
      if (Date.now() > deadline) return false;
      poke?.();
      const exited = await Promise.race([
        new Promise<false>((resolve) => {
          waiters.push(() => resolve(false));
          setTimeout(() => resolve(false), 50);
        }),
        tracer.then(() => true),
      ]);
      if (exited && !condition()) throw new Error(`bpftrace ended early: ${String((await tracer).stderr)}`);
    }
    return true;
  };
  const stop = async (): Promise<Maps> => {
    tracer.kill('SIGINT');
    const result = await tracer;
    if (result.exitCode !== 0) throw new Error(`bpftrace failed: ${result.shortMessage}\n${String(result.stderr)}`);
    return maps;
  };
  return { printed, until, stop, kill: () => tracer.kill('SIGKILL'), pid: tracer.pid };
};

const total = (report: WorkloadReport, calls: readonly string[], field: 'calls' | 'failed' | 'requested' | 'transferred') =>
  report.calls.filter((tally) => calls.includes(tally.call)).reduce((sum, tally) => sum + tally[field], 0);

test('bpftrace on tracepoints, filtered to its process tree, counts exactly what the report says', async (t) => {
  const built = await buildWorkload();
  const run = await launchWorkload(built.binary, { rounds: 2, dir: built.dir });
  const syscalls = tracedSyscalls();
  const tracer = startTracer(truthScript(run.pid, process.pid, syscalls));
  let report: WorkloadReport;
  let maps: Maps;
  let skipped = 0;
  try {
    // process.ppid makes a getppid(2) each time it is read: it fires the canaries.
    await tracer.until(
      () => tracer.printed.includes('canary first') && tracer.printed.includes('canary last'),
      () => process.ppid,
    );
    await run.start();
    await run.untilDone();
    // sched_process_free comes an RCU grace period after the release: wait for every created task's, but not for
    // one the kernel skipped (a recursion miss: assertRelease below).
    const pids = (word: string) => tracer.printed.filter((line) => line.startsWith(`${word} `)).map((line) => line.split(' ')[1]);
    await tracer.until(
      () => pids('created').length > 0 && pids('created').every((pid) => pids('released').includes(pid)),
      undefined,
      30_000,
    );
    skipped = skippedRuns(tracer.pid);
    maps = await tracer.stop();
    report = await run.finish();
  } catch (error) {
    tracer.kill();
    await run.kill();
    throw error;
  } finally {
    await built.remove();
  }

  const counted = (map: string, name: string) => maps[`@${map}`]?.[name] ?? 0;
  const { start, done, end } = report.barrier;
  for (const name of syscalls.filter((candidate) => !cloneCalls.includes(candidate))) {
    // Inside the window: the end barrier's read entered, the start barrier's read returned, the done line was written.
    const barrierCalls = name === 'read' ? 1 : name === 'write' ? 1 : 0;
    t.is(counted('calls', name), total(report, [name], 'calls') + barrierCalls, `${name} calls`);
    t.is(counted('failed', name), total(report, [name], 'failed'), `${name} failures`);
    if (scalarCalls.includes(name)) {
      const barrierBytes = name === 'read' ? end.requested : name === 'write' ? done.requested : 0;
      t.is(counted('requested', name), total(report, [name], 'requested') + barrierBytes, `${name} bytes requested`);
    }
    if (name.includes('read') || name.includes('write')) {
      const barrierBytes = name === 'read' ? start.transferred : name === 'write' ? done.transferred : 0;
      t.is(counted('transferred', name), total(report, [name], 'transferred') + barrierBytes, `${name} bytes transferred`);
    }
  }
  // fork(3) and pthread_create(3) reach the kernel through one of the clone syscalls; libc chooses which.
  const cloneTotal = cloneCalls.reduce((sum, name) => sum + counted('calls', name), 0);
  t.is(cloneTotal, total(report, ['fork', 'pthread_create', 'clone', 'clone3'], 'calls'), 'task creation syscalls');
  t.is(counted('failed', 'clone'), total(report, ['clone'], 'failed'));
  t.is(counted('failed', 'clone3'), total(report, ['clone3'], 'failed'));
  t.is(counted('tasks', 'process'), total(report, ['fork'], 'calls'));
  t.is(counted('tasks', 'thread'), total(report, ['pthread_create'], 'calls'));
  t.is(counted('tasks', 'exited'), report.tasks.exited);
  assertRelease(t, counted('tasks', 'released'), report.tasks.released, skipped, 'bpftrace on sched_process_free');
});
