// SPDX-License-Identifier: GPL-3.0-or-later
// The line the plugin logs, and selftest prints on stderr, for each attach point a backend refused: the kernel
// matrix's 5.10 helper cells ended "nothing to count" without it, the refusals that led there unsaid.
import test from 'ava';
import { fallingBack } from '../../src/supervise/attach-with-replans.js';

test('a refused attach point is named with its reason; a refused family as all its probes', (t) => {
  t.is(
    fallingBack({ family: 'probe', attachPoint: 'kprobe:vfs_read', reason: 'no such symbol' }),
    'falling back: kprobe:vfs_read (no such symbol)',
  );
  t.is(
    fallingBack({ family: 'trampoline', reason: 'fentry:vfs_read was refused' }),
    'falling back: all trampoline probes (fentry:vfs_read was refused)',
  );
});
