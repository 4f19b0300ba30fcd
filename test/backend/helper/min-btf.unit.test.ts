// SPDX-License-Identifier: GPL-3.0-or-later
// The minimal BTF's key matches only the kernel it was made for, and a file others may write is refused. The
// real bpftool, helper and selftest with it: min-btf.test.ts.
import test from 'ava';
import { chmod } from 'node:fs/promises';
import { findMinBtf, minBtfDir, minBtfKey, minBtfPath, type KernelIdentity } from '../../../src/backend/helper/min-btf.js';
import { success } from '../../../src/outcome.js';
import { placeBtf, privateHelper } from './support/private-helper.js';

const kernel: KernelIdentity = {
  release: '6.18.44-fc-v657',
  version: '#1 SMP PREEMPT_DYNAMIC Tue Nov 4 10:00:00 UTC 2026',
  btfSize: 5_515_646,
};

test('the key is the same for the same kernel and differs when release, build or BTF size differ', (t) => {
  t.is(minBtfKey(kernel), minBtfKey({ ...kernel }));
  t.regex(minBtfKey(kernel), /^6\.18\.44-fc-v657-[0-9a-f]{16}$/);
  for (const other of [
    { ...kernel, release: '6.18.45-fc-v657' },
    { ...kernel, version: '#2 SMP PREEMPT_DYNAMIC Tue Nov 4 10:00:00 UTC 2026' },
    { ...kernel, btfSize: kernel.btfSize + 4 },
  ]) {
    t.not(minBtfKey(other), minBtfKey(kernel), JSON.stringify(other));
  }
  t.regex(minBtfKey({ ...kernel, release: '6.1/../x y' }), /^6\.1_\.\._x_y-/, 'the release part is a plain file name');
});

test('findMinBtf takes the file of this kernel only', async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  await placeBtf(minBtfPath(helper, kernel));
  t.deepEqual(await findMinBtf(helper, kernel), success(minBtfPath(helper, kernel)));
  const upgraded = { ...kernel, release: '6.18.45-fc-v657' };
  const lookup = await findMinBtf(helper, upgraded);
  t.false(lookup.ok);
  t.regex((lookup as { reason: string }).reason, /no minimal BTF for kernel 6\.18\.45-fc-v657/);
});

test('findMinBtf refuses a file or folder others may write', async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  const file = minBtfPath(helper, kernel);
  await placeBtf(file);
  await chmod(file, 0o646);
  t.like(await findMinBtf(helper, kernel), {
    ok: false,
    reason:
      `refusing to run ${file}: ${file} is world-writable, so anyone could replace it and run code as ` +
      `root. Fix: chmod o-w ${file}, or install the backend in a root-owned folder such as /usr/bin`,
  });
  await chmod(file, 0o644);
  await chmod(minBtfDir(helper), 0o777);
  const lookup = await findMinBtf(helper, kernel);
  t.false(lookup.ok);
  t.regex((lookup as { reason: string }).reason, new RegExp(`${minBtfDir(helper)} is world-writable`));
});
