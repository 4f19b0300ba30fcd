// SPDX-License-Identifier: GPL-3.0-or-later
// --pid on a process that already runs threads (the usual `--pid $(pidof nginx)`): both backends count the
// exit and the release of every one of its threads, the ones started before the tracer attached included; and both
// follow the same tree as it forks and starts threads (the plan's filterHooks), counting its work and no other.
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gatherFacts } from '../../src/kernel/gather.js';
import { catalogueNames } from '../../src/plan/catalogue.js';
import { settledSample, startSideBySide, type Sample } from '../helpers/backend-process.js';
import { skippedRuns } from '../helpers/kernel-skips.js';

// Node runs V8's and libuv's threads from its start; it exits when its stdin closes.
const idleUntilStdinCloses = 'process.stdin.resume(); process.stdin.on("end", () => process.exit(0));';

// A release the kernel skipped (bpftrace's perf tracepoint, on a loaded host) is in its programs' recursion_misses:
// a shortfall they cover is accounted for, any other is not.
const releasesWithinSkips = (t: ExecutionContext, what: string, sample: Sample, expected: number, skipped: number): void => {
  const released = sample['release'] ?? 0;
  t.true(
    released <= expected && released + skipped >= expected,
    `${what}: ${released} of ${expected}, ${skipped} run(s) skipped by the kernel`,
  );
};

test('both backends count the exit and release of threads that existed before they attached', async (t) => {
  const facts = await gatherFacts(catalogueNames());
  if (!facts.bpftrace) return t.fail('bpftrace is not installed: apt-get install bpftrace');
  const target = execa(process.execPath, ['-e', idleUntilStdinCloses], { stdin: 'pipe', reject: false });
  const { tracers } = startSideBySide({ ...facts, bpftrace: facts.bpftrace }, 'entry', { pid: target.pid! });
  try {
    await Promise.all(tracers.map((tracer) => tracer.nextSample()));
    const threads = (await readdir(`/proc/${target.pid}/task`)).length;
    t.true(threads > 1, `node runs ${threads} thread(s)`);
    target.stdin!.end();
    t.is((await target).exitCode, 0);
    const [fromBpftrace, fromHelper] = (await Promise.all(tracers.map((tracer) => settledSample(tracer)))) as [Sample, Sample];
    for (const [backend, sample, tracer] of [
      ['bpftrace', fromBpftrace, tracers[0]],
      ['helper', fromHelper, tracers[1]],
    ] as const) {
      t.is(sample['exit'], threads, `${backend}: one exit per thread`);
      releasesWithinSkips(t, `${backend}: one release per thread`, sample, threads, skippedRuns(tracer.child.pid));
    }
  } finally {
    await Promise.all(tracers.map((tracer) => tracer.stop()));
    target.kill();
  }
});

// test/backend/fixtures/task-tree.c: its constants, and what its tree does in the window.
const tree = { children: 3, threads: 2, work: 5 };
const opens = tree.work * (tree.threads + tree.children * (tree.threads + 2));
const treeTruth: Sample = {
  open: opens,
  close: opens,
  write: opens + 1,
  process: 2 * tree.children,
  thread: tree.threads * (tree.children + 1),
  exit: 2 * tree.children + tree.threads * (tree.children + 1) + 1,
  release: 2 * tree.children + tree.threads * (tree.children + 1) + 1,
};

const buildTree = async (): Promise<{ binary: string; remove: () => Promise<void> }> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-task-tree-'));
  const binary = path.join(dir, 'task-tree');
  await execa('cc', ['-O2', '-Wall', '-pthread', '-o', binary, fileURLToPath(new URL('fixtures/task-tree.c', import.meta.url))]);
  return { binary, remove: () => rm(dir, { recursive: true, force: true }) };
};

// A tree, started and waiting at its start barrier; `line` resolves when it has printed that line.
const startTree = async (binary: string) => {
  const child = execa(binary, [], { stdin: 'pipe', stdout: 'pipe', reject: false });
  const lines = readline.createInterface({ input: child.stdout! });
  const seen: string[] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  lines.on('line', (text) => {
    seen.push(text);
    for (const waiter of waiters.filter((each) => each.text === text)) waiter.resolve();
  });
  const line = (text: string): Promise<void> =>
    seen.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }));
  await line('ready');
  return { child, line };
};

test('--pid: both backends follow the same tree of forked processes and threads, count its work exactly, and nothing else', async (t) => {
  const facts = await gatherFacts(catalogueNames());
  if (!facts.bpftrace) return t.fail('bpftrace is not installed: apt-get install bpftrace');
  const built = await buildTree();
  // The same work by an unrelated process, at the same time: none of it may be counted.
  const [followed, unrelated] = await Promise.all([startTree(built.binary), startTree(built.binary)]);
  const { tracers } = startSideBySide({ ...facts, bpftrace: facts.bpftrace }, 'entry', { pid: followed.child.pid! });
  try {
    await Promise.all(tracers.map((tracer) => tracer.nextSample()));
    for (const { child } of [followed, unrelated]) child.stdin!.write('x');
    await Promise.all([followed.line('done'), unrelated.line('done')]);
    for (const { child } of [followed, unrelated]) child.stdin!.end();
    for (const { child } of [followed, unrelated]) t.is((await child).exitCode, 0, `task-tree ${child.pid} ended badly`);
    const [fromBpftrace, fromHelper] = (await Promise.all(tracers.map((tracer) => settledSample(tracer)))) as [Sample, Sample];
    for (const [backend, sample, tracer] of [
      ['bpftrace', fromBpftrace, tracers[0]],
      ['helper', fromHelper, tracers[1]],
    ] as const) {
      for (const [counter, expected] of Object.entries(treeTruth)) {
        if (counter === 'release')
          releasesWithinSkips(t, `${backend}: release of the tree`, sample, expected, skippedRuns(tracer.child.pid));
        else t.is(sample[counter], expected, `${backend}: ${counter} of the tree`);
      }
    }
  } finally {
    await Promise.all(tracers.map((tracer) => tracer.stop()));
    for (const { child } of [followed, unrelated]) child.kill();
    await built.remove();
  }
});
