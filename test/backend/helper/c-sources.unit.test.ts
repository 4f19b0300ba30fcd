// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's C generated from the catalogue: a program for every name the planner can ask for, each read from
// the catalogue's expressions, and the counter slots from the counter ids.
import test from 'ava';
import { countersHeader } from '../../../src/backend/helper/c-sources/counters-header.js';
import { programNames, programsSource } from '../../../src/backend/helper/c-sources/programs-source.js';
import { helperPrograms } from '../../../src/backend/helper/helper-programs.js';
import { counterIds, modes } from '../../../src/plan/counters.js';
import { families } from '../../../src/plan/families.js';
import { keyedCounters } from '../../../src/plan/counter-sources.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import { fullHost } from './support/made-up-hosts.js';

test('every program a plan can ask the helper for is generated', (t) => {
  const generated = new Set(programNames());
  for (const release of ['5.10.0', '6.1.0', '6.18.0']) {
    for (const mode of modes) {
      for (const tracing of families) {
        const plan = planProbes(fullHost(release, 'usable'), { mode, tracing, backend: 'helper' });
        for (const { program } of helperPrograms(plan)) t.true(generated.has(program), `${program} (${release} ${mode} ${tracing})`);
      }
    }
  }
});

test("the catalogue's expressions become C: flags in hex, a status compared as int, the stash read back at exit", (t) => {
  const source = programsSource();
  const body = (name: string): string => {
    const start = source.search(new RegExp(`\\b${name}[(,)]`));
    return start < 0 ? '' : source.slice(start, source.indexOf('\n}', start));
  };
  t.regex(body('unlinkat_tp'), /if \(\(ctx->args\[2\] & 0x200\) == 0\)/);
  t.regex(body('unlinkat_tp_exit'), /bool stash = stash_take\(\);[\s\S]*if \(stash && ret < 0\)/);
  t.regex(body('open_kretprobe'), /if \(\(int\)ret < 0\)/);
  t.regex(body('close_null_fexit'), /if \(ret == 0\)/);
  t.regex(body('read_kprobe'), /read_kprobe, u64 arg0, u64 arg1, u64 count\)[\s\S]*C_READ_BYTES\] \+= count;/);
  t.regex(body('release_fentry'), /released_task_totals\(p, each\)/);
  t.notRegex(body('readv_fentry'), /C_READ_BYTES/, "the vectored calls' sizes are not an argument: no bytes at entry");
});

test('the counter slots follow the counter ids, with their names for the report', (t) => {
  const header = countersHeader();
  t.true(counterIds.every((id) => header.includes(`[C_${id.toUpperCase()}] = "${id}"`)));
  t.regex(header, /\tC_RELEASE,\n\tCOUNTER_COUNT,/);
});

// Hooked as a perf tracepoint, a release is skipped whenever its RCU callback interrupts another tracing program:
// on a loaded host, dozens of 60. Raw, it is skipped only when it would interrupt itself.
test("the helper hooks sched_process_free raw, and reads the released task's keys from the task", async (t) => {
  const source = programsSource();
  t.regex(
    source,
    /SEC\("raw_tp"\)\nint release_tp\(struct bpf_raw_tracepoint_args \*ctx\)\n\{[\s\S]*?released_task_totals\(raw_task\(ctx\), each\)/,
  );
  t.is(source.match(/SEC\("raw_tp"\)/g)?.length, 1, 'only the event that fires in softirq is hooked raw');
  const facts = { ...fullHost('6.18.0', 'usable'), kprobes: false, trampoline: 'refused' as const };
  const keys = [
    { key: 'cgroup' as const, entries: 300 },
    { key: 'comm' as const, entries: 2000 },
  ];
  const helper = planProbes(facts, { mode: 'entry', tracing: 'auto', backend: 'helper', keys });
  const release = helper.probes.find((probe) => probe.probe === 'release')!.chosen!;
  t.deepEqual(release.attachPoints, ['tracepoint:sched:sched_process_free'], 'no exit hook to remember the keys');
  t.deepEqual(
    helperPrograms(helper).filter(({ targets }) => targets.includes('sched:sched_process_free')),
    [{ program: 'release_tp', targets: ['sched:sched_process_free'] }],
  );
  t.true(keyedCounters(helper).has('release'));
  // bpftrace cannot hook it raw on every build it runs on (0.17 has no rawtracepoint): it remembers the keys.
  const bpftrace = planProbes(facts, { mode: 'entry', tracing: 'auto', backend: 'bpftrace', keys });
  t.true(bpftrace.probes.find((probe) => probe.probe === 'release')!.chosen!.attachPoints.includes('tracepoint:sched:sched_process_exit'));
  t.true(keyedCounters(bpftrace).has('release'));
});
