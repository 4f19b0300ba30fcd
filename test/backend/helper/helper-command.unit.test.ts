// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's command line: what a plan becomes, and the hostile values helperCommand refuses. The helper's
// own parser in C refusing them: helper-command.test.ts.
import test from 'ava';
import { helperCommand, type HelperOptions } from '../../../src/backend/helper/helper-command.js';
import { helperPath } from '../../../src/backend/helper/locate-helper.js';
import { tracepointPlan } from './support/made-up-hosts.js';
import type { Plan } from '../../../src/plan/plan-types.js';
import { chooseAppInheritance } from '../../../src/plan/app-inheritance.js';

test('a return-mode tracepoint plan becomes counters, stash programs and targets', (t) => {
  const { file, args } = helperCommand(tracepointPlan, { intervalMs: 1000, pid: 42, comm: 'nginx' });
  t.is(file, helperPath());
  t.deepEqual(args.slice(0, 8), [
    '--interval-ms',
    '1000',
    '--pid',
    '42',
    '--comm',
    'nginx',
    '--counters',
    'open,open_error,close,close_error,unlink,unlink_error,read,read_bytes,read_error,' +
      'write,write_bytes,write_error,process,thread,process_error,thread_error,exit,release',
  ]);
  t.true(args.includes('open_tp_exit=syscalls:sys_exit_open,syscalls:sys_exit_openat,syscalls:sys_exit_openat2,syscalls:sys_exit_creat'));
  t.true(args.includes('unlinkat_stash_tp=syscalls:sys_enter_unlinkat'));
  t.true(args.includes('unlinkat_tp_exit=syscalls:sys_exit_unlinkat'));
  t.true(args.includes('clone3_stash_tp=syscalls:sys_enter_clone3'));
  t.true(args.includes('release_tp=sched:sched_process_free'));
});

test("apps_groups.conf's names reach the helper as --app-names in hex, and bpftrace's plan has none", (t) => {
  const names = [
    { kind: 'exact', text: 'nginx' },
    { kind: 'prefix', text: 'Plex Media,x' },
    { kind: 'suffix', text: 'udevd' },
    { kind: 'substring', text: 'python.d' },
  ] as const;
  const plan: Plan = {
    ...tracepointPlan,
    keys: [{ key: 'comm', entries: 64 }],
    appInheritance: chooseAppInheritance('helper', names),
  };
  const { args } = helperCommand(plan, { intervalMs: 1000 });
  t.deepEqual(args.slice(args.indexOf('--app-names'), args.indexOf('--app-names') + 2), [
    '--app-names',
    'e:6e67696e78,p:506c6578204d656469612c78,s:7564657664,i:707974686f6e2e64',
  ]);
  t.deepEqual(chooseAppInheritance('bpftrace', names).names, []);
  t.false(
    helperCommand({ ...plan, appInheritance: chooseAppInheritance('bpftrace', names) }, { intervalMs: 1000 }).args.includes('--app-names'),
  );
});

test('a minimal BTF is passed as --btf before the counters', (t) => {
  const { args } = helperCommand(tracepointPlan, {
    intervalMs: 1000,
    btf: '/usr/lib/netdata/plugins.d/ebpf-process/btf/6.18.44-x-0123456789abcdef.btf',
  });
  t.deepEqual(args.slice(2, 4), ['--btf', '/usr/lib/netdata/plugins.d/ebpf-process/btf/6.18.44-x-0123456789abcdef.btf']);
  t.false(helperCommand(tracepointPlan, { intervalMs: 1000 }).args.includes('--btf'));
});

test("the plan's task filter applies unless the options override it", (t) => {
  const filtered: Plan = { ...tracepointPlan, filter: { pid: 7, comm: 'sshd' } };
  const { args } = helperCommand(filtered, { intervalMs: 1000, comm: 'nginx' });
  t.deepEqual(args.slice(2, 6), ['--pid', '7', '--comm', 'nginx']);
});

test('a probe without attachment is left out, with its counters', (t) => {
  const plan: Plan = {
    ...tracepointPlan,
    probes: tracepointPlan.probes.map((probe) => (probe.probe === 'read' ? { ...probe, chosen: null } : probe)),
  };
  const { args } = helperCommand(plan, { intervalMs: 1000 });
  t.false(args.some((arg) => arg.startsWith('read')));
  t.false(args[args.indexOf('--counters') + 1]!.split(',').includes('read_bytes'));
});

test('a plan that attaches nothing is an error that says why', (t) => {
  const plan: Plan = { ...tracepointPlan, probes: tracepointPlan.probes.map((probe) => ({ ...probe, chosen: null })) };
  t.throws(() => helperCommand(plan, { intervalMs: 1000 }), { message: /attaches no probe/ });
});

const hostile: ReadonlyArray<[string, Partial<HelperOptions>, RegExp]> = [
  ['an empty comm', { comm: '' }, /`comm`/],
  ['a 16-character comm', { comm: 'a'.repeat(16) }, /`comm`/],
  ['a comm with a newline', { comm: 'a\nb' }, /`comm`/],
  ['a comm with a NUL', { comm: 'a\0b' }, /`comm`/],
  ['a non-ASCII comm', { comm: 'prözess' }, /`comm`/],
  ['a comm with a space', { comm: 'a b' }, /`comm`/],
  ['a comm that is not a string', { comm: 42 as unknown as string }, /`comm`/],
  ['pid 0', { pid: 0 }, /`pid`/],
  ['a negative pid', { pid: -1 }, /`pid`/],
  ['a fractional pid', { pid: 1.5 }, /`pid`/],
  ['a pid above PID_MAX_LIMIT', { pid: 4_194_305 }, /`pid`/],
  ['a NaN pid', { pid: Number.NaN }, /`pid`/],
  ['a pid given as text', { pid: '1; reboot' as unknown as number }, /`pid`/],
  ['an interval under 100 ms', { intervalMs: 99 }, /`intervalMs`/],
  ['a fractional interval', { intervalMs: 1000.5 }, /`intervalMs`/],
  ['a relative btf', { btf: 'btf/x.btf' }, /`btf`/],
  ['a btf path that climbs', { btf: '/usr/lib/../../etc/x.btf' }, /`btf`/],
  ['a btf path with a space', { btf: '/tmp/a b.btf' }, /`btf`/],
  ['a btf that is not a .btf file', { btf: '/etc/shadow' }, /`btf`/],
];

for (const [title, options, message] of hostile) {
  test(`helperCommand rejects ${title}`, (t) => {
    t.throws(() => helperCommand(tracepointPlan, { intervalMs: 1000, ...options }), { instanceOf: RangeError, message });
  });
}

test('helperCommand rejects a target that is neither a function nor a tracepoint', (t) => {
  const plan: Plan = {
    ...tracepointPlan,
    probes: tracepointPlan.probes.map((probe) =>
      probe.probe !== 'exit'
        ? probe
        : {
            ...probe,
            chosen: {
              ...probe.chosen!,
              groups: [{ ...probe.chosen!.groups[0]!, targets: ['sched:sched_process_exit', 'sched:x;reboot'] }],
            },
          },
    ),
  };
  t.throws(() => helperCommand(plan, { intervalMs: 1000 }), { message: /neither a kernel function nor subsystem:event/ });
});
