// SPDX-License-Identifier: GPL-3.0-or-later
// selftest tests the backend it was asked for or refuses, never another: the kernel matrix's bpftrace 0.23/0.27
// cells on 6.1 printed "backend helper" and counted exactly, testing no bpftrace at all.
import test from 'ava';
import type { BackendAvailability } from '../../src/backend/backend-order.js';
import { selftestBackend } from '../../src/selftest/selftest-backend.js';

const bpftraceDown: BackendAvailability = {
  backend: 'bpftrace',
  available: false,
  detail: 'bpftrace is not installed (apt-get install bpftrace)',
};
const helperUp: BackendAvailability = { backend: 'helper', available: true, detail: 'helper at /x' };

test('asked for bpftrace, which cannot run: refused with its reason, not run on the helper', (t) => {
  t.deepEqual(selftestBackend('bpftrace', [bpftraceDown, helperUp], [helperUp]), {
    ok: false,
    reason:
      '--backend bpftrace cannot run here: bpftrace is not installed (apt-get install bpftrace) ' +
      '(selftest tests the backend asked for, never another)',
  });
});

test('auto tests the first backend that can run; none at all is said', (t) => {
  t.deepEqual(selftestBackend('auto', [bpftraceDown, helperUp], [helperUp]), { ok: true, value: helperUp });
  t.deepEqual(selftestBackend('auto', [bpftraceDown], []), { ok: false, reason: 'no backend can run here: see `ebpf-process check`' });
});
