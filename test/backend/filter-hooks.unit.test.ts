// SPDX-License-Identifier: GPL-3.0-or-later
// --pid's hooks are declared in the plan (plan.filterHooks): both backends follow and drop tasks on the same events,
// bpftrace renders its probes from the plan, and the helper's C hooks its tracking programs where the plan says.
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { dialectFor } from '../../src/backend/bpftrace/dialect.js';
import { generateScript } from '../../src/backend/bpftrace/generate-script.js';
import { helperCommand } from '../../src/backend/helper/helper-command.js';
import { filterHookPrograms } from '../../src/backend/helper/program-names.js';
import { planProbes } from '../../src/plan/plan-probes.js';
import type { Backend } from '../../src/plan/plan-types.js';
import { loadKernelFixture } from '../plan/kernel-fixtures.js';

const planned = async (backend: Backend, filter: { pid?: number; comm?: string }) => {
  const { facts } = await loadKernelFixture('host-6.18');
  return planProbes(facts, { mode: 'entry', tracing: 'tracepoint', backend, filter });
};

test('both backends follow and drop --pid tasks on the same events; bpftrace alone remembers exits', async (t) => {
  const [bpftrace, helper] = await Promise.all([planned('bpftrace', { pid: 42 }), planned('helper', { pid: 42 })]);
  t.deepEqual(bpftrace.filterHooks?.follow, helper.filterHooks?.follow);
  t.deepEqual(bpftrace.filterHooks?.drop, helper.filterHooks?.drop);
  t.is(bpftrace.filterHooks?.follow?.event, 'task:task_newtask');
  t.is(bpftrace.filterHooks?.drop?.event, 'sched:sched_process_free');
  t.is(bpftrace.filterHooks?.remember?.event, 'sched:sched_process_exit');
  t.regex(bpftrace.filterHooks?.remember?.why ?? '', /pid alone/);
  t.is(helper.filterHooks?.remember, undefined);
  t.deepEqual((await planned('helper', { comm: 'nginx' })).filterHooks, {}, '--comm follows no tree');
  t.is((await planned('helper', {})).filterHooks, undefined, 'no filter, no hooks');
});

test("the bpftrace script hooks the plan's events: follow adds the new task, drop deletes the freed one", async (t) => {
  const plan = await planned('bpftrace', { pid: 42 });
  const script = (version: string, kernelBtf: boolean) =>
    generateScript(plan, { dialect: dialectFor(version), output: 'json', intervalSeconds: 1, generator: 'test', kernelBtf }).text;
  const text = script('0.17.0', true);
  // A new task outside the tree forgets its id's stale entry (a missed release), without a failed delete on any version.
  t.true(
    text.includes(
      'tracepoint:task:task_newtask\n{\n  $new_task = args->pid;\n' +
        '  if (@tracked[pid]) { @tracked[$new_task] = 1; } else { if (@tracked[$new_task]) { delete(@tracked[$new_task]); } }\n' +
        '  if (@exited[$new_task]) { delete(@exited[$new_task]); }\n}',
    ),
    text,
  );
  t.regex(text, /^tracepoint:sched:sched_process_free\n\{\n {2}delete\(@tracked\[args->pid\]\);\n\}$/m);
  t.regex(text, /^tracepoint:sched:sched_process_exit\n\/@tracked\[pid\]\/\n\{\n {2}@exited\[tid\] = 1;\n\}$/m);
  t.notRegex(text, /sched_process_fork/);
  // Where the script hooks the release raw (0.23 with kernel BTF), it drops there too.
  t.regex(
    script('0.23.0', true),
    /^rawtracepoint:sched_process_free\n\{\n {2}if \(has_key\(@tracked, \(\(struct task_struct \*\)arg0\)->pid\)\) \{ delete/m,
  );
  t.throws(
    () =>
      generateScript(
        { ...plan, filterHooks: {} },
        { dialect: dialectFor('0.17.0'), output: 'json', intervalSeconds: 1, generator: 'test' },
      ),
    {
      message: /task filter must say where it remembers exited tasks/,
    },
  );
});

test('a --comm filter alone forgets, at a new task, what it remembered of a task whose release was missed', async (t) => {
  const plan = await planned('bpftrace', { comm: 'worker' });
  const text = generateScript(plan, { dialect: dialectFor('0.17.0'), output: 'json', intervalSeconds: 1, generator: 'test' }).text;
  t.true(
    text.includes(
      'tracepoint:task:task_newtask\n{\n  $new_task = args->pid;\n  if (@exited[$new_task]) { delete(@exited[$new_task]); }\n}',
    ),
    text,
  );
  t.notRegex(text, /@tracked/);
});

test("the helper's C hooks its tracking programs on the plan's events, and refuses a plan asking others", async (t) => {
  const attach = await readFile(new URL('../../bpf-fallback/attach.c', import.meta.url), 'utf8');
  for (const { program, event } of Object.values(filterHookPrograms)) {
    t.regex(attach, new RegExp(`attach_tracking\\(session, session->skel->progs\\.${program}, "${event}"\\)`), `${program} on ${event}`);
  }
  const plan = await planned('helper', { pid: 42 });
  t.is((await helperCommand(plan, { intervalMs: 200 })).args.includes('--pid'), true);
  t.throws(
    () =>
      helperCommand(
        { ...plan, filterHooks: { ...plan.filterHooks, follow: { event: 'sched:sched_process_fork', does: '' } } },
        { intervalMs: 200 },
      ),
    {
      message: /track_newtask hooks task:task_newtask only/,
    },
  );
});
