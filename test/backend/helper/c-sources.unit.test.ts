// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's C generated from the catalogue: a program for every name the planner can ask for, each read from
// the catalogue's expressions, and the counter slots from the counter ids.
import test from 'ava';
import { countersHeader } from '../../../src/backend/helper/c-sources/counters-header.js';
import { programNames, programsSource } from '../../../src/backend/helper/c-sources/programs-source.js';
import { helperPrograms } from '../../../src/backend/helper/helper-programs.js';
import { catalogueSymbols, catalogueTracepoints } from '../../../src/plan/catalogue.js';
import { counterIds, modes } from '../../../src/plan/counters.js';
import { families } from '../../../src/plan/families.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import type { KernelFacts } from '../../../src/kernel/facts.js';

const everything = (release: string): KernelFacts => ({
  release, arch: 'x86_64', source: 'test', kprobes: true, btf: true, filterFunctionsReadable: true, lockdown: 'none',
  tracefs: '/sys/kernel/tracing', debugfs: true, symbols: catalogueSymbols(), tracepoints: catalogueTracepoints(), bpftrace: null,
  trampoline: 'usable', privileges: { uid: 0, canLoadBpf: true },
});

test('every program a plan can ask the helper for is generated', (t) => {
  const generated = new Set(programNames());
  for (const release of ['5.10.0', '6.1.0', '6.18.0']) {
    for (const mode of modes) {
      for (const tracing of families) {
        const plan = planProbes(everything(release), { mode, tracing, backend: 'helper' });
        for (const { program } of helperPrograms(plan)) t.true(generated.has(program), `${program} (${release} ${mode} ${tracing})`);
      }
    }
  }
});

test('the catalogue\'s expressions become C: flags in hex, a status compared as int, the stash read back at exit', (t) => {
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
  t.notRegex(body('readv_fentry'), /C_READ_BYTES/, 'the vectored calls\' sizes are not an argument: no bytes at entry');
});

test('the counter slots follow the counter ids, with their names for the report', (t) => {
  const header = countersHeader();
  t.true(counterIds.every((id) => header.includes(`[C_${id.toUpperCase()}] = "${id}"`)));
  t.regex(header, /\tC_RELEASE,\n\tCOUNTER_COUNT,/);
});
