// SPDX-License-Identifier: GPL-3.0-or-later
// The real helper's own command-line parser refuses hostile values with a usage error (exit 2). What
// helperCommand makes of a plan and refuses in TypeScript: helper-command.unit.test.ts.
import test from 'ava';
import { buildHelper } from './support/build.js';
import { runToEnd } from '../../helpers/backend-process.js';

const refusedArgv: ReadonlyArray<[string, string[], RegExp]> = [
  ['an empty comm', ['--comm', ''], /--comm must be 1-15 characters/],
  ['a 16-character comm', ['--comm', 'a'.repeat(16)], /--comm must be 1-15 characters/],
  ['a comm with a control character', ['--comm', 'a\tb'], /--comm holds a character other than A-Z/],
  ['a comm with a space', ['--comm', 'a b'], /--comm holds a character other than A-Z/],
  ['pid 0', ['--pid', '0'], /--pid must be an integer/],
  ['a negative pid', ['--pid', '-5'], /--pid must be an integer/],
  ['a pid with trailing text', ['--pid', '12x'], /--pid must be an integer/],
  ['a pid above PID_MAX_LIMIT', ['--pid', '4194305'], /--pid must be an integer/],
  ['a pid of no process', ['--pid', '4194304'], /no such process/],
  ['an interval of 5 ms', ['--interval-ms', '5'], /--interval-ms must be/],
  ['an unknown counter', ['--counters', 'open,bogus'], /unknown counter/],
  ['an unknown program', ['bogus_fentry=vfs_read'], /unknown program/],
  ['the reserved tracking programs', ['track_free=sched:sched_process_free'], /unknown program/],
  ['the reserved app-name hooks', ['track_app_rename=task:task_rename'], /unknown program/],
  ['a shell-looking target', ['open_tp=syscalls:sys_enter_open;reboot'], /bad target/],
  ['a function target for a tracepoint program', ['open_tp=do_sys_openat2'], /takes subsystem:event targets/],
  ['two targets for one fentry program', ['read_fentry=vfs_read,vfs_readv'], /exactly one target/],
  ['app names without --per-comm', ['--app-names', 'e:6e67'], /--app-names without --per-comm/],
  ['an app name of an unknown kind', ['--per-comm', '4', '--app-names', 'x:6e67'], /--app-names takes KIND:HEX/],
  ['an app name of 16 bytes', ['--per-comm', '4', '--app-names', `e:${'61'.repeat(16)}`], /--app-names takes KIND:HEX/],
  ['an app name in uppercase hex', ['--per-comm', '4', '--app-names', 'p:6E67'], /not lowercase hex, or a NUL/],
  ['an app name holding a NUL', ['--per-comm', '4', '--app-names', 's:6e00'], /not lowercase hex, or a NUL/],
];

for (const [title, argv, message] of refusedArgv) {
  test(`the helper refuses ${title} with a usage error`, async (t) => {
    const file = await buildHelper();
    const options = argv[0]!.startsWith('--') ? argv : [];
    const programs = options.length ? ['open_tp=syscalls:sys_enter_openat'] : argv;
    const counters = argv.includes('--counters') ? [] : ['--counters', 'open'];
    const run = await runToEnd(file, [...counters, ...options, ...programs]);
    t.is(run.code, 2, run.stderr);
    t.regex(run.stderr, message);
  });
}
