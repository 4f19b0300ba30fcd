// SPDX-License-Identifier: GPL-3.0-or-later
// A name table too small for the names a task takes: in both key stores (slots cached in task local storage, per-CPU
// hashes), every event still counts on the host exactly as a helper without keys counts it, and what no name's totals
// got is in the table's unkeyed totals, so that per counter the host is the names' sum plus those.
import test from 'ava';
import { execa } from 'execa';
import { startHelper, type RunningHelper, type Sample } from '../../helpers/backend-process.js';
import { buildHelper } from './support/build.js';
import { samplesAcross } from './support/followed-sample.js';

const names = 40;
const tableSize = 4;
const counters = ['open', 'write', 'close'] as const;

// The shell renames itself before each write: open, write and close of /proc/self/comm under a name of its own.
const renames = `read go; for i in $(seq 1 ${names}); do printf n$i > /proc/self/comm; done`;

const keyedSum = (sample: Sample, map: string): number =>
  Object.values((sample[map] as unknown as Record<string, number> | undefined) ?? {}).reduce((sum, value) => sum + value, 0);

const unkeyed = (sample: Sample, counter: string): number =>
  (sample['unkeyed__comm'] as unknown as Record<string, number> | undefined)?.[counter] ?? 0;

test('a full name table: host totals as without keys, and the names plus the unkeyed totals make the host, in both stores', async (t) => {
  const helper = await buildHelper();
  const workload = execa('sh', ['-c', renames], { stdin: 'pipe' });
  const common = [
    '--interval-ms',
    '200',
    '--pid',
    String(workload.pid),
    '--counters',
    counters.join(','),
    'open_tp=syscalls:sys_enter_openat',
    'write_tp=syscalls:sys_enter_write',
    'close_tp=syscalls:sys_enter_close',
  ];
  const tracers: Record<string, RunningHelper> = {
    plain: startHelper(helper, common),
    slots: startHelper(helper, ['--per-comm', String(tableSize), ...common]),
    hashes: startHelper(helper, ['--hash-keys', '--per-comm', String(tableSize), ...common]),
  };
  try {
    const [plain, slots, hashes] = await samplesAcross(Object.values(tracers), workload);
    t.true((plain!['open'] ?? 0) >= names, `${plain!['open']} opens counted, not the ${names} renames at least`);
    for (const [store, sample] of Object.entries({ slots: slots!, hashes: hashes! })) {
      for (const counter of counters) {
        t.is(sample[counter], plain![counter], `${store}: the host's ${counter} as without keys`);
        t.is(
          keyedSum(sample, `${counter}__comm`) + unkeyed(sample, counter),
          sample[counter],
          `${store}: ${counter} per name plus unkeyed is the host's`,
        );
      }
      t.true(unkeyed(sample, 'open') >= names - tableSize, `${store}: ${unkeyed(sample, 'open')} opens left out of a full table`);
    }
  } finally {
    await Promise.all(Object.values(tracers).map((tracer) => tracer.stop()));
    workload.kill();
  }
});
