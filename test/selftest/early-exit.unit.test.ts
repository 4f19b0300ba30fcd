// SPDX-License-Identifier: GPL-3.0-or-later
// selftest's error when the backend ends before its first sample keeps every stderr line the run kept: the kernel
// matrix's bpftrace 0.27 cell on 6.1 lost its cause because only the last three lines were shown.
import test from 'ava';
import { earlyExitMessage } from '../../src/selftest/early-exit.js';

test('the cause on the first stderr line survives the context lines after it', (t) => {
  const stderr = [
    'stdin:118:7-33: ERROR: the cause',
    'stdin:118:7-33: ERROR: expanded from',
    '  if (has_key(@exited, args.pid)) { delete(@exited[args.pid]); }',
    '      ~~~~~~~~~~~~~~~~~~~~~~~~~~',
  ];
  t.is(earlyExitMessage('bpftrace', stderr), `bpftrace exited before its first sample:\n${stderr.join('\n')}`);
});

test('a backend that said nothing is said to have said nothing', (t) => {
  t.is(earlyExitMessage('helper', []), 'helper exited before its first sample, with nothing on stderr');
});
