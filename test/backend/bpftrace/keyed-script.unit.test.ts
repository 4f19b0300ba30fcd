// SPDX-License-Identifier: GPL-3.0-or-later
// Keys in the bpftrace script: each update also kept per cgroup and per command name, a release keyed by the task
// it is about, a new cgroup printed before its first event, a removed cgroup's keys deleted, the table size given to bpftrace.
import test from 'ava';
import { dialectFor } from '../../../src/backend/bpftrace/dialect.js';
import { generateScript } from '../../../src/backend/bpftrace/generate-script.js';
import { cgroupEvents } from '../../../src/plan/catalogue.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import { loadKernelFixture } from '../../plan/kernel-fixtures.js';

const keyed = async (
  fixture: string,
  tracing: 'tracepoint' | 'probe',
  version: string,
  kernelBtf?: boolean,
  filterFunctionsReadable?: boolean,
) => {
  const { facts } = await loadKernelFixture(fixture);
  const plan = planProbes(
    { ...facts, tracepoints: [...facts.tracepoints, ...Object.values(cgroupEvents)] },
    {
      mode: 'return',
      tracing,
      backend: 'bpftrace',
      keys: [
        { key: 'cgroup', entries: 300 },
        { key: 'comm', entries: 2000 },
      ],
    },
  );
  return generateScript(plan, {
    dialect: dialectFor(version),
    output: 'json',
    intervalSeconds: 1,
    generator: 'test',
    ...(kernelBtf === undefined ? {} : { kernelBtf }),
    ...(filterFunctionsReadable === undefined ? {} : { filterFunctionsReadable }),
  });
};

test("every update is kept per key as well, and the keyed maps are printed after the host's", async (t) => {
  const { text, env } = await keyed('host-6.18', 'tracepoint', '0.17.0');
  t.regex(
    text,
    new RegExp(
      /if \(args->ret < 0\) \{\n {4}@open_error = count\(\);\n/.source +
        / {4}@open_error__cgroup\[cgroup\] = count\(\);\n {4}@open_error__comm\[comm\] = count\(\);\n {2}\}/.source,
    ),
  );
  // sched_process_free names its task by pid only: the task's keys are remembered at its exit, taken back (once)
  // at its release, and a task that exited before the script counts on the host only.
  t.regex(text, /tracepoint:sched:sched_process_exit\n\{\n {2}@exited_cgroup\[tid\] = cgroup;\n {2}@exited_comm\[tid\] = comm;\n\}/);
  t.regex(
    text,
    new RegExp(
      /tracepoint:sched:sched_process_free\n\{\n {2}\$exited_cgroup = @exited_cgroup\[args->pid\];\n/.source +
        / {2}if \(\$exited_cgroup\) \{ delete\(@exited_cgroup\[args->pid\]\); \}\n/.source,
    ),
  );
  t.regex(
    text,
    new RegExp(
      /if \(\$exited_cgroup\) \{ @release__cgroup\[\$exited_cgroup\] = count\(\); \}\n/.source +
        / {2}if \(\$exited_comm != ""\) \{ @release__comm\[\$exited_comm\] = count\(\); \}/.source,
    ),
  );
  t.regex(text, /END\n\{[^}]*clear\(@exited_cgroup\);/);
  t.true(text.indexOf('print(@release);') < text.indexOf('print(@open__cgroup);'));
  t.regex(text, /tracepoint:cgroup:cgroup_mkdir\n\{\n {2}@seen__cgroup\[args->id\] = 1;\n\}/);
  t.regex(
    text,
    /tracepoint:cgroup:cgroup_rmdir\n\{\n {2}delete\(@open__cgroup\[args->id\]\);[^}]*delete\(@seen__cgroup\[args->id\]\);\n\}/,
  );
  t.regex(text, /print\(@seen__cgroup\);/);
  t.deepEqual(env, { BPFTRACE_MAP_KEYS_MAX: '4096' }, "one limit for every map: the largest table, never below bpftrace's default");
});

test(
  "a full map's failed update is an event its table did not count at the lines of event counters only; " + '0.17 reports them with -k',
  async (t) => {
    for (const version of ['0.17.0', '0.23.2', '0.27.1']) {
      const { text, keyedEventLines, flags } = await keyed('host-6.18', 'tracepoint', version);
      const lines = text.split('\n');
      const lineOf = (statement: string): number => lines.findIndex((line) => line.includes(statement)) + 1;
      t.is(keyedEventLines.get(lineOf('@open__comm[comm] = count();')), 'comm', `${version}: an open's name`);
      t.is(keyedEventLines.get(lineOf('@open__cgroup[cgroup] = count();')), 'cgroup', `${version}: an open's cgroup`);
      for (const [number, key] of keyedEventLines) t.true(lines[number - 1]!.includes(`__${key}[`), `${version}: line ${number}`);
      // Bytes and errors are not events of their own; the seen map counts none; nor does a delete.
      for (const [number, line] of lines.entries()) {
        if (/_bytes__|_error__|@seen__|delete\(/.test(line)) t.false(keyedEventLines.has(number + 1), `${version}: ${line.trim()}`);
      }
      t.deepEqual(flags, version === '0.17.0' ? ['-k'] : [], version);
    }
  },
);

test('a release through release_task is keyed by the released task, read through BTF', async (t) => {
  const { text } = await keyed('ubuntu-22.04-5.15', 'probe', '0.23.2');
  t.regex(text, /@release__cgroup\[\(\(struct task_struct \*\)arg0\)->cgroups->dfl_cgrp->kn->id\] = count\(\);/);
  t.regex(text, /@release__comm\[\(\(struct task_struct \*\)arg0\)->comm\] = count\(\);/);
});

const rawRelease =
  '0.23, and 0.27 where the kernel hides available_filter_functions, hook sched_process_free raw with kernel BTF ' +
  "and read the freed task's pid and keys from it; otherwise the perf tracepoint";
test(rawRelease, async (t) => {
  for (const version of ['0.23.2', '0.27.1']) {
    const { text, traceableFunctions } = await keyed('host-6.18', 'tracepoint', version, true, false);
    t.regex(
      text,
      new RegExp(
        String.raw`^rawtracepoint:sched_process_free\n\{\n {2}@release = count\(\);\n` +
          String.raw` {2}@release__cgroup\[\(\(struct task_struct \*\)arg0\)->cgroups->dfl_cgrp->kn->id\] = count\(\);\n` +
          String.raw` {2}@release__comm\[\(\(struct task_struct \*\)arg0\)->comm\] = count\(\);\n\}`,
        'm',
      ),
      version,
    );
    t.notRegex(text, /@exited_|^tracepoint:sched:sched_process_free/m, `${version}: nothing remembered at the exit, no perf tracepoint`);
    t.regex(text, /release is hooked raw/);
    // 0.27 finds the raw event only through its stub in the traceable functions, which it is then handed.
    t.deepEqual(traceableFunctions, version === '0.27.1' ? ['__probestub_sched_process_free'] : undefined, version);
  }
  for (const [version, kernelBtf, why] of [
    ['0.17.0', true, 'no rawtracepoint before bpftrace 0.23 here'],
    ['0.23.2', false, 'the kernel has no BTF'],
    ['0.27.1', false, 'the kernel has no BTF'],
    ['0.27.1', true, 'bpftrace 0.27.1 hooks it raw only through __probestub_sched_process_free in available_filter_functions'],
  ] as const) {
    const { text, traceableFunctions } = await keyed('host-6.18', 'tracepoint', version, kernelBtf, true);
    t.is(traceableFunctions, undefined, version);
    t.regex(text, /^tracepoint:sched:sched_process_free$/m, version);
    t.notRegex(text, /rawtracepoint:/, version);
    t.true(text.includes(`release stays on the perf tracepoint: ${why}`), version);
  }
});

test('a key table out of range is refused before any script is made', async (t) => {
  const { facts } = await loadKernelFixture('host-6.18');
  t.throws(() => planProbes(facts, { mode: 'entry', tracing: 'auto', backend: 'bpftrace', keys: [{ key: 'cgroup', entries: 0 }] }), {
    message: /1-65536/,
  });
});
