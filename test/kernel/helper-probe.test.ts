// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's --probe: what the real helper reports as root, and as the netdata user with and without its
// file capabilities. How its output is validated: helper-probe.unit.test.ts.
import test from 'ava';
import { execa } from 'execa';
import { chmod, chown, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseProbeOutput, runHelperProbe } from '../../src/kernel/helper-probe.js';
import { valueOf } from '../../src/outcome.js';
import { catalogueTracepoints } from '../../src/plan/catalogue.js';
import { buildHelper } from '../backend/helper/support/build.js';

const asked = ['syscalls:sys_enter_read', 'task:task_newtask'];
test('as root the real helper sees tracefs, every catalogue tracepoint this kernel has, and loads BPF', async (t) => {
  const probed = await runHelperProbe(await buildHelper(), catalogueTracepoints());
  if (!probed.ok) return t.fail(probed.reason);
  const result = probed.value;
  t.is(result.euid, 0);
  t.is(result.tracefs, '/sys/kernel/tracing');
  t.true(result.bpf);
  t.true(result.tracepoints.includes('syscalls:sys_enter_openat') && result.tracepoints.includes('sched:sched_process_free'));
  // This host's kernel refuses fentry with EPERM (see README "Not tested here").
  t.like(result, { trampoline: 'refused', trampoline_errno: 1 });
});

test('the real helper refuses a tracepoint name that is not subsystem:event', async (t) => {
  const result = await runHelperProbe(await buildHelper(), ['syscalls:sys_enter_read', 'x;id']);
  t.regex(result.ok ? 'succeeded' : result.reason, /exit code 2.*bad tracepoint 'x;id'/s);
});

// The helper ends quietly with 0 on SIGTERM: a probe that outlasts its bound must still read as a timeout, not
// as an empty answer (what the kernel matrix's loaded TCG guests recorded as "expected one JSON line, got 0").
test('a probe that does not answer in time is reported as such, even by a program that exits 0 on SIGTERM', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-probe-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const silent = path.join(dir, 'silent-helper');
  await writeFile(silent, "#!/bin/sh\ntrap 'exit 0' TERM\nsleep 30 &\nwait\n", { mode: 0o755 });
  const result = await runHelperProbe(silent, asked, 300);
  t.is(result.ok ? 'answered' : result.reason, 'no answer within 300 ms');
});

test('as the netdata user only the copy with file capabilities sees tracefs and loads BPF', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-probe-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await chmod(dir, 0o755);
  const capable = path.join(dir, 'capable');
  const plain = path.join(dir, 'plain');
  for (const file of [capable, plain]) {
    await copyFile(await buildHelper(), file);
    await chmod(file, 0o755);
  }
  await chown(capable, 0, 0);
  await execa('setcap', ['cap_bpf,cap_perfmon,cap_dac_read_search=ep', capable]);
  const asNetdata = async (file: string) =>
    valueOf(
      parseProbeOutput(
        (await execa('setpriv', ['--reuid', 'netdata', '--regid', 'netdata', '--init-groups', file, '--probe', ...asked])).stdout,
        asked,
      ),
    );
  t.like(await asNetdata(capable), { tracefs: '/sys/kernel/tracing', tracepoints: asked, bpf: true, trampoline: 'refused' });
  t.like(await asNetdata(plain), { tracefs: null, tracepoints: [], bpf: false, trampoline: 'unknown' });
});
