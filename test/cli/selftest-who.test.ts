// SPDX-License-Identifier: GPL-3.0-or-later
// `selftest --cgroups` and `--apps` on this host: the workload's own cgroup and command name (and its
// apps_groups.conf group) count exactly what it did, and every key's values add up to the host, for both
// backends and modes. The cgroup made for the run is gone afterwards.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { CgroupDiscovery } from '../../src/cgroups/cgroup-discovery.js';
import { cli } from '../helpers/run-plugin.js';
import { assertSelftestExact, releaseOnlyShort } from '../helpers/selftest-result.js';

const runCgroups = async (): Promise<string[]> => {
  const discovery = await CgroupDiscovery.open(() => {});
  return discovery ? readdirSync(discovery.root).filter((name) => name.startsWith('ebpf-process-selftest-')) : [];
};

// A test apps_groups.conf that names the workload: its group must count it exactly.
const userConfigDir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-apps-'));
writeFileSync(path.join(userConfigDir, 'apps_groups.conf'), 'selftest-load: workload\nshells: bash sh\n');
test.after.always(() => rmSync(userConfigDir, { recursive: true, force: true }));

const selftestRun = (flag: string, backend: string, mode: string) =>
  execa(cli, ['selftest', flag, '--backend', backend, '--mode', mode, '--rounds', '1'], {
    reject: false,
    env: { NETDATA_USER_CONFIG_DIR: userConfigDir },
  });

/** The rows of the keyed table: counter, then the numbers, then the verdict. */
const keyedRows = (stdout: string, heading: RegExp): string[] => {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => heading.test(line));
  const end = lines.findIndex((line, index) => index > start + 1 && line.trim() === '');
  return start < 0 ? [] : lines.slice(start + 2, end).filter((line) => /^\w+\s+\d/.test(line));
};

const who = test.macro(async (t, flag: '--cgroups' | '--apps', backend: string, mode: string) => {
  const before = await runCgroups();
  let result = await selftestRun(flag, backend, mode);
  if (releaseOnlyShort(result.stdout)) {
    t.log(`release short on the first run; running again:\n${result.stdout}`);
    result = await selftestRun(flag, backend, mode);
  }
  t.is(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  assertSelftestExact(t, result.stdout);
  const counters = mode === 'entry' ? 11 : 18;
  const rows =
    flag === '--cgroups'
      ? keyedRows(result.stdout, /^per cgroup: the workload ran in \/sys\/fs\/cgroup\S*\/ebpf-process-selftest-\S+ \(id \d+\)/)
      : keyedRows(
          result.stdout,
          /^per command name: the workload runs as "workload", in group `selftest-load` of \/tmp\/ebpf-process-apps-\w+\/apps_groups\.conf/,
        );
  t.regex(result.stdout, new RegExp(`mode ${mode}, backend ${backend}, .*per ${flag === '--cgroups' ? 'cgroup' : 'command name'}`));
  t.is(rows.length, counters, result.stdout);
  // Every counter is kept per key, the release at sched_process_free too (its keys remembered at the task's exit):
  // a row is exact, or a release the kernel skipped (assertSelftestExact).
  t.deepEqual(
    rows.filter((row) => !/ (ok|SKIPPED)\s*$/.test(row)),
    [],
    result.stdout,
  );
  for (const row of rows.filter((line) => / ok$/.test(line))) {
    // expected, then the workload's own values (its cgroup; or its comm and its group), all values, the host.
    const [expected, ...values] = row.split(/\s+/).slice(1, -1);
    const [all, host] = values.splice(-2);
    t.true(values.every((value) => value === expected) && all === host, row);
  }
  t.deepEqual(await runCgroups(), before, 'the cgroup made for the run was removed');
});

for (const flag of ['--cgroups', '--apps'] as const) {
  for (const backend of ['bpftrace', 'helper']) {
    for (const mode of ['entry', 'return'])
      test.serial(`selftest ${flag} with ${backend} in ${mode} mode counts the workload exactly per key`, who, flag, backend, mode);
  }
}

test('selftest --cgroups refuses --system-wide, saying why', async (t) => {
  const result = await execa(cli, ['selftest', '--cgroups', '--system-wide'], { reject: false });
  t.not(result.exitCode, 0);
  t.regex(result.stderr, /--cgroups and --apps compare the workload's own counts exactly, which needs the process filter/);
});
