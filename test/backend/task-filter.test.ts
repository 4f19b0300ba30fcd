// SPDX-License-Identifier: GPL-3.0-or-later
// --pid on a process that already runs threads (the usual `--pid $(pidof nginx)`): both backends count the
// exit and the release of every one of its threads, the ones started before the tracer attached included.
import test from 'ava';
import { execa } from 'execa';
import { readdir } from 'node:fs/promises';
import { gatherFacts } from '../../src/kernel/gather.js';
import { catalogueNames } from '../../src/plan/catalogue.js';
import { settledSample, startSideBySide, type Sample } from '../helpers/backend-process.js';

// Node runs V8's and libuv's threads from its start; it exits when its stdin closes.
const idleUntilStdinCloses = 'process.stdin.resume(); process.stdin.on("end", () => process.exit(0));';

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
    for (const [backend, sample] of [
      ['bpftrace', fromBpftrace],
      ['helper', fromHelper],
    ] as const) {
      t.is(sample['exit'], threads, `${backend}: one exit per thread`);
      t.is(sample['release'], threads, `${backend}: one release per thread`);
    }
  } finally {
    await Promise.all(tracers.map((tracer) => tracer.stop()));
    target.kill();
  }
});
