// SPDX-License-Identifier: GPL-3.0-or-later
// `update every = 1` while short-lived processes are made at 6,000 a second, for a minute (issue #24): the plugin's
// output stays in step with the clock (one update a second, no lag that grows) and its process totals are
// continuous and hold every process the storm made, with both backends. The rate is measured (each forker counts
// what it made) and must reach the floor the title states; the log says what it was. The storm is paced, not flat
// out: two CPUs saturated by forkers (20,000 a second beside a dd loop) starve every process of user time, the
// backend's reader and this test's own included, and late output then says nothing about the backend.
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { cli, repoRoot } from '../helpers/run-plugin.js';
import { withTempDir } from '../helpers/temp-file.js';

const stormSeconds = 60;
// One forker more than CPUs, so that the storm keeps its share beside other work.
const forkers = 3;
const targetRate = 6000;
// What this test claims about the storm: the 5,000 a second. Flat out, three forkers made 19,700-21,100
// a second on this 2-core VM beside a dd loop.
const rateFloor = 5000;
// A backend that falls behind a little more each second shows as a lag that grows; jitter of a loaded host does not.
const lagGrowthLimitMs = 2000;

interface Update {
  readonly at: number;
  readonly process: bigint;
}

const waitFor = async (predicate: () => boolean, what: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** The plugin's ebpf.process_thread updates as they arrive: when, and the process total they SET. */
const watchUpdates = (stdout: NodeJS.ReadableStream): Update[] => {
  const updates: Update[] = [];
  let pending = '';
  let inBlock = false;
  stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('BEGIN ebpf.process_thread')) inBlock = true;
      else if (inBlock && line.startsWith('SET process = ')) {
        updates.push({ at: Date.now(), process: BigInt(line.slice('SET process = '.length)) });
        inBlock = false;
      } else if (line === 'END') inBlock = false;
    }
  });
  return updates;
};

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const storm = async (t: ExecutionContext, backend: 'helper' | 'bpftrace', forkStorm: string): Promise<void> => {
  const plugin = execa(cli, ['1', '--backend', backend], { reject: false, buffer: false });
  const updates = watchUpdates(plugin.stdout!);
  try {
    await waitFor(() => updates.length >= 2, 'the first two ebpf.process_thread updates', 60_000);
    const before = updates.length - 1;
    const started = Date.now();
    const children = Array.from({ length: forkers }, () => execa(forkStorm, [String(targetRate / forkers)], { reject: false }));
    await new Promise((resolve) => setTimeout(resolve, stormSeconds * 1000));
    children.forEach((child) => child.kill('SIGTERM'));
    const made = (await Promise.all(children)).reduce((sum, child) => sum + Number(child.stdout), 0);
    const seconds = (Date.now() - started) / 1000;
    const ended = updates.length;
    await waitFor(() => updates.length >= ended + 2, 'two updates after the storm', 30_000);

    const rate = made / seconds;
    t.log(`${backend}: ${made} processes in ${seconds.toFixed(1)} s = ${rate.toFixed(0)}/s by ${forkers} forkers`);
    t.true(rate >= rateFloor, `the storm made ${rate.toFixed(0)} processes a second; the test claims at least ${rateFloor}`);

    const during = updates.slice(before);
    // No lost update: one a second, counted over the whole storm and per 10 s window.
    const inStorm = during.filter((update) => update.at >= started && update.at <= started + seconds * 1000).length;
    t.true(inStorm >= Math.floor(seconds) - 2, `${inStorm} updates in ${seconds.toFixed(0)} s at update every = 1`);
    for (let from = started; from + 10_000 <= started + seconds * 1000; from += 10_000) {
      const inWindow = during.filter((update) => update.at >= from && update.at < from + 10_000).length;
      t.true(inWindow >= 8, `${inWindow} updates in the 10 s from ${((from - started) / 1000).toFixed(0)} s into the storm`);
    }
    // The lag of update i behind the first one's clock: its growth from the first 10 to the last 10.
    const lags = during.map((update, index) => update.at - during[0]!.at - index * 1000);
    const growth = median(lags.slice(-10)) - median(lags.slice(0, 10));
    t.log(`${backend}: ${during.length} updates, lag grew ${growth} ms from the first 10 to the last 10`);
    t.true(growth < lagGrowthLimitMs, `the output lag grew ${growth} ms over the storm: the backend falls behind`);
    // Continuous totals that hold every process the storm made (and whatever else the host made).
    const decreases = during.filter((update, index) => index > 0 && update.process < during[index - 1]!.process);
    t.deepEqual(decreases, [], 'the process total never goes back');
    const counted = during.at(-1)!.process - during[0]!.process;
    t.true(counted >= BigInt(made), `the process total rose by ${counted}; the storm alone made ${made}`);
  } finally {
    plugin.kill('SIGTERM');
    await plugin;
  }
};

test.serial(
  `at update every = 1, over ${stormSeconds} s of at least ${rateFloor} short-lived processes a second, ` +
    'the plugin keeps one update a second, no growing lag and every process, with both backends',
  async (t) => {
    t.timeout((stormSeconds + 120) * 2 * 1000);
    await withTempDir(async (dir) => {
      const forkStorm = path.join(dir, 'fork-storm');
      const compiled = await execa('cc', ['-O2', '-o', forkStorm, path.join(repoRoot, 'test/fixtures/workloads/fork-storm.c')], {
        reject: false,
      });
      t.is(compiled.exitCode, 0, `cc fork-storm.c: ${compiled.stderr}`);
      for (const backend of ['helper', 'bpftrace'] as const) await storm(t, backend, forkStorm);
    });
  },
);
