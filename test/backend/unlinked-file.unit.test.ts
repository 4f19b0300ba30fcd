// SPDX-License-Identifier: GPL-3.0-or-later
// The text a backend reads by name (/dev/fd/3): readable through the descriptor, gone from the file system.
import { closeSync, readFileSync, readlinkSync } from 'node:fs';
import test from 'ava';
import { unlinkedFile } from '../../src/backend/unlinked-file.js';

test('unlinkedFile hands over a descriptor whose text reads back by /proc/self/fd, with no file left behind', (t) => {
  const fd = unlinkedFile('__probestub_sched_process_free\n');
  try {
    t.is(readFileSync(`/proc/self/fd/${fd}`, 'utf8'), '__probestub_sched_process_free\n');
    t.regex(readlinkSync(`/proc/self/fd/${fd}`), / \(deleted\)$/, 'the file is removed once opened');
  } finally {
    closeSync(fd);
  }
});
