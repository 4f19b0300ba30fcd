// SPDX-License-Identifier: GPL-3.0-or-later
// Which bpftrace failures are a script of ours it refused (fall back at once) and which are the host's (re-plan,
// restart): the stderr lines are the real ones of 0.17, 0.23.2 and 0.27.1 on this host.
import test from 'ava';
import { refusalsFromStderr } from '../../src/supervise/attach-refusals.js';
import type { BackendExit } from '../../src/supervise/run-backend.js';
import { scriptRejection } from '../../src/supervise/script-rejection.js';

const memlock =
  "WARNING: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace. If " +
  'your program is not loading, you can try "ulimit -l 8192" to fix the problem';
const exit = (stderr: string[], samples = 0): BackendExit => ({
  backend: 'bpftrace',
  code: 1,
  signal: undefined,
  stderr,
  events: [],
  samples,
});

test('0.23 refusing `print_maps_on_exit = false` is a rejected script, with its source excerpt', (t) => {
  const lines = [
    'stdin:37:22-23: ERROR: Assignment for print_maps_on_exit must be literal.',
    '  print_maps_on_exit = false;',
    '                     ~',
  ];
  t.is(scriptRejection(exit([memlock, ...lines])), lines.join('\n'));
});

test('warnings before the error are left out; a run that printed data rejected nothing', (t) => {
  const stderr = [
    'stdin:41:7-19: WARNING: Addrspace mismatch',
    '  if (args.ret < 0) { @open_error = count(); }',
    'stdin:1:41-49: ERROR: Unknown function: has_key',
    'tracepoint:syscalls:sys_exit_clone { if (has_key(@s, tid)) {} }',
  ];
  t.is(scriptRejection(exit(stderr)), stderr.slice(2).join('\n'));
  t.is(scriptRejection(exit(stderr, 3)), undefined);
});

test('targets the kernel lacks are refusals for the planner, not rejected scripts', (t) => {
  const missing = ['stdin:1:1-16: ERROR: No matches for kprobe vfs_read.', 'kprobe:vfs_read { @r = count(); }'];
  t.deepEqual(refusalsFromStderr(missing), [{ attachPoint: 'kprobe:vfs_read', reason: 'bpftrace found no such target on this kernel' }]);
  t.is(scriptRejection(exit(missing)), undefined);
  const tracepoint = ['stdin:1:1-42: ERROR: No matches for tracepoint syscalls:sys_enter_nonexistent.'];
  t.deepEqual(
    refusalsFromStderr(tracepoint).map((refusal) => refusal.attachPoint),
    ['tracepoint:syscalls:sys_enter_nonexistent'],
  );
  const hidden = [
    'stdin:27-29: ERROR: fentry:do_sys_openat2: could not read traceable functions ' +
      'from /sys/kernel/debug/tracing/available_filter_functions (is tracefs mounted?)',
  ];
  t.deepEqual(
    refusalsFromStderr(hidden).map((refusal) => refusal.family),
    ['trampoline'],
  );
  t.is(scriptRejection(exit(hidden)), undefined);
});

test('not being root is no script error', (t) => {
  t.is(scriptRejection(exit([memlock, 'ERROR: bpftrace currently only supports running as the root user.'])), undefined);
});
