// SPDX-License-Identifier: GPL-3.0-or-later
// How the helper's --probe output is validated: hostile output never becomes facts. The real helper's
// answers: helper-probe.test.ts.
import test from 'ava';
import { parseProbeOutput } from '../../src/kernel/helper-probe.js';
import { success } from '../../src/outcome.js';

const asked = ['syscalls:sys_enter_read', 'task:task_newtask'];
const good = {
  euid: 999,
  tracefs: '/sys/kernel/tracing',
  tracepoints: ['task:task_newtask'],
  bpf: true,
  trampoline: 'refused',
  trampoline_errno: 1,
  task_storage: true,
};
const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

test('a well-formed probe line is accepted as it is', (t) => {
  t.deepEqual(parseProbeOutput(line(good), asked), success(good));
  t.deepEqual(
    parseProbeOutput(
      line({
        ...good,
        tracefs: null,
        tracepoints: [],
        bpf: false,
        trampoline: 'unknown',
        trampoline_errno: undefined,
        task_storage: false,
      }),
      asked,
    ),
    success({ euid: 999, tracefs: null, tracepoints: [], bpf: false, trampoline: 'unknown', task_storage: false }),
  );
});

test('hostile or malformed probe output is refused with a reason, never turned into facts', (t) => {
  const cases: [string, RegExp][] = [
    [line({ ...good, tracepoints: ['task:task_newtask"); system("id'] }), /tracepoints\.0/],
    [line({ ...good, tracepoints: ['syscalls:sys_enter_execve'] }), /not asked about: syscalls:sys_enter_execve/],
    [line({ ...good, tracefs: '/tmp/evil' }), /tracefs/],
    [line({ ...good, tracefs: null }), /without tracefs/],
    [line({ ...good, trampoline: 'maybe' }), /trampoline/],
    [line({ ...good, bpf: 'yes' }), /bpf/],
    [line({ ...good, euid: -1 }), /euid/],
    [line({ ...good, trampoline_errno: 1e9 }), /trampoline_errno/],
    [line({ ...good, task_storage: 'yes' }), /task_storage/],
    [line({ ...good, script: 'BEGIN { system("id") }' }), /unexpected output/],
    [line({ ...good, tracepoints: Array.from({ length: 200 }, () => 'task:task_newtask') }), /tracepoints/],
    [`${line(good)}${line(good)}`, /one JSON line, got 2/],
    ['', /one JSON line, got 0/],
    ['{"euid": 0,\n', /not JSON/],
    ['\u0000\u00ff\u0001', /not JSON/],
    [line([good]), /unexpected output/],
  ];
  for (const [output, reason] of cases) {
    const parsed = parseProbeOutput(output, asked);
    if (parsed.ok) return t.fail(output.slice(0, 60));
    t.regex(parsed.reason, reason, output.slice(0, 60));
  }
});
