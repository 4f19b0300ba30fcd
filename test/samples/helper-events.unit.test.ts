// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's recorded output (test/fixtures/helper-output/, README there) through the line parser: every line
// is read, events are typed, and each failure becomes the refusal the planner needs.
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { refusalsOf } from '../../src/supervise/attach-refusals.js';
import { failureHint } from '../../src/supervise/failure-hints.js';
import type { BackendExit } from '../../src/supervise/run-backend.js';
import type { HelperEvent } from '../../src/samples/helper-events.js';
import { parseLine, type OutputRecord } from '../../src/samples/parse-line.js';

const records = async (file: string): Promise<OutputRecord[]> =>
  (await readFile(new URL(`../fixtures/helper-output/${file}`, import.meta.url), 'utf8')).split('\n').slice(0, -1).flatMap(parseLine);

const events = (parsed: readonly OutputRecord[]): HelperEvent[] =>
  parsed.flatMap((record) => (record.type === 'event' ? [record.event] : []));

const helperExit = (recorded: readonly OutputRecord[]): BackendExit => ({
  backend: 'helper',
  code: 3,
  signal: undefined,
  stderr: [],
  events: events(recorded),
  samples: 0,
});

test('every recorded line is read: no line is invalid or ignored', async (t) => {
  for (const file of [
    'trampoline-refused',
    'kprobes-missing',
    'targets-missing',
    'unprivileged',
    'btf-rejected',
    'tracepoints-self-stats',
  ]) {
    const parsed = await records(`${file}.ndjson`);
    t.true(parsed.length > 0, file);
    t.deepEqual(
      parsed.filter((record) => record.type === 'invalid' || record.type === 'ignored'),
      [],
      file,
    );
  }
});

test('fentry/fexit refused with EPERM: each program is a typed event, and the whole trampoline family is refused', async (t) => {
  const recorded = await records('trampoline-refused.ndjson');
  t.is(recorded.length, 11);
  t.deepEqual(events(recorded)[0], {
    event: 'program_refused',
    program: 'open_fexit',
    kind: 'fexit',
    targets: ['do_sys_openat2'],
    errno: 1,
    reason: 'Operation not permitted',
  });
  const refusals = refusalsOf(helperExit(recorded));
  t.true(refusals.every((refusal) => refusal.family === 'trampoline' && refusal.attachPoint === undefined));
  t.is(refusals[0]!.reason, 'fexit:do_sys_openat2 was refused: Operation not permitted');
});

test('no kprobes (ENOENT at attach): each attach point is refused, not the family', async (t) => {
  const refusals = refusalsOf(helperExit(await records('kprobes-missing.ndjson')));
  t.is(refusals.length, 12);
  t.deepEqual(refusals[0], { attachPoint: 'kretprobe:do_sys_openat2', reason: 'No such file or directory' });
});

test('a function missing from BTF and a missing tracepoint are refused by attach point', async (t) => {
  t.deepEqual(refusalsOf(helperExit(await records('targets-missing.ndjson'))), [
    { attachPoint: 'fentry:no_such_function_xyz', reason: "not in the kernel's BTF" },
    { attachPoint: 'tracepoint:syscalls:sys_enter_nonexistent', reason: 'No such file or directory' },
  ]);
});

test("without privileges: the load failure names the capabilities fix, from the event's errno", async (t) => {
  const recorded = await records('unprivileged.ndjson');
  t.deepEqual(events(recorded)[1], { event: 'start_failed', stage: 'load', errno: 1, reason: 'Operation not permitted' });
  t.regex(failureHint({ ...helperExit(recorded), code: 1 }) ?? '', /CAP_BPF and CAP_PERFMON/);
});

test('a --btf that does not fit is an event, and the samples after it are read as usual', async (t) => {
  const recorded = await records('btf-rejected.ndjson');
  t.deepEqual(
    recorded.map((record) => record.type),
    ['event', 'attached', 'map', 'map', 'printf'],
  );
  t.deepEqual(refusalsOf(helperExit(recorded)), []);
});

test('a malformed or unknown event is unreadable output with a reason, never a refusal', (t) => {
  t.deepEqual(parseLine('{"event": "attach_failed", "program": "read_fentry", "kind": "fentry", "errno": 1, "reason": "x"}'), [
    { type: 'invalid', reason: 'malformed helper event: target: Invalid input: expected string, received undefined' },
  ]);
  t.is(parseLine('{"event": "exploded"}')[0]?.type, 'invalid');
  t.is(
    parseLine('{"event": "attach_failed", "program": "p", "kind": "uprobe", "target": "t", "errno": 1, "reason": "x"}')[0]?.type,
    'invalid',
  );
});

test('bpftrace runs are still judged by their stderr, helper runs only by their events', (t) => {
  const stderr = ['ERROR: No matches for kprobe vfs_read.'];
  t.deepEqual(refusalsOf({ backend: 'bpftrace', code: 1, signal: undefined, stderr, events: [], samples: 0 }).length, 1);
  t.deepEqual(refusalsOf({ backend: 'helper', code: 1, signal: undefined, stderr, events: [], samples: 0 }), []);
});
