// SPDX-License-Identifier: GPL-3.0-or-later
// The barriers wait until the workload has entered its read(2), not only until it printed the line before it:
// stand-in workloads stay busy for a second or two between the line and the read.
import { access, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { launchWorkload } from '../../src/selftest/run-workload.js';
import { SelftestError } from '../../src/selftest/selftest-error.js';

// Called as the real workload is: --rounds N --dir DIR. `busy` spins (state R) for one to two seconds. The markers
// are written by a builtin redirection: an external command (touch) would leave bash sleeping in wait(2).
const standIn = (afterDone: string) => `#!/bin/bash
dir=$4
busy() { local end=$((SECONDS + 2)); while (( SECONDS < end )); do :; done; }
printf '{"event":"ready","pid":%d}\\n' $$
busy; : > "$dir/start-read"
read -r -n1 _
printf '{"event":"done"}\\n'
${afterDone}
`;

const withStandIn = async (afterDone: string, use: (binary: string, dir: string) => Promise<void>) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ebpf-process-run-workload-'));
  try {
    const binary = path.join(dir, 'workload');
    await writeFile(binary, standIn(afterDone));
    await chmod(binary, 0o700);
    await use(binary, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

test('launch and untilDone return only once the workload blocks in its barrier read', async (t) => {
  await withStandIn('busy; : > "$dir/end-read"\nread -r -n1 _', async (binary, dir) => {
    const run = await launchWorkload(binary, { rounds: 1, dir });
    t.true(await exists(path.join(dir, 'start-read')), 'launchWorkload returned before the start barrier read was entered');
    await run.start();
    await run.untilDone();
    t.true(await exists(path.join(dir, 'end-read')), 'untilDone returned before the end barrier read was entered');
    await run.kill();
  });
});

test('a workload that exits after its done line, without the end barrier read, is an error that says so', async (t) => {
  await withStandIn('exit 0', async (binary, dir) => {
    const run = await launchWorkload(binary, { rounds: 1, dir });
    await run.start();
    const error = await t.throwsAsync(run.untilDone(), { instanceOf: SelftestError });
    t.regex(error?.message ?? '', /ended before it blocked in its end barrier read/);
  });
});
