// SPDX-License-Identifier: GPL-3.0-or-later
// docs/privileges.md's finding, on the real 0.27.1: from 0.25 bpftrace checks capabilities instead of euid 0, so a
// copy with file capabilities runs as `netdata`. But the check insists on CAP_DAC_OVERRIDE, and with it that user
// can overwrite any file through `-o`: why `install` still gives capabilities to the helper only.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { bpftraceBuilds, buildProblem } from '../helpers/bpftrace-builds.js';

const sid = bpftraceBuilds.find((build) => build.suite === 'sid')!;
const root = path.join(path.dirname(sid.path), 'root');
// Inside the chroot: the test's copy, and a root-only file standing for /etc/shadow.
const copy = '/usr/local/bin/bpftrace-capable-test';
const secret = '/etc/ebpf-process-capable-test';
const program = 'tracepoint:syscalls:sys_enter_read { @reads = count(); } interval:ms:300 { print(@reads); exit(); }';

const asNetdata = async (args: readonly string[]) => {
  const { stdout } = await execa('id', ['-u', 'netdata']);
  const { stdout: group } = await execa('id', ['-g', 'netdata']);
  return execa('chroot', [`--userspec=${stdout.trim()}:${group.trim()}`, root, copy, ...args], { reject: false, timeout: 30_000 });
};

test.serial(
  'bpftrace 0.27.1 with file capabilities runs as netdata, needs CAP_DAC_OVERRIDE, and then overwrites root-only files',
  async (t) => {
    const problem = await buildProblem(sid);
    if (problem) return t.fail(problem);
    try {
      copyFileSync(path.join(root, 'usr/bin/bpftrace'), path.join(root, copy));
      await execa('setcap', ['cap_bpf,cap_perfmon,cap_dac_read_search=ep', path.join(root, copy)]);
      const withoutOverride = await asNetdata(['-f', 'json', '-e', program]);
      t.not(withoutOverride.exitCode, 0);
      t.regex(withoutOverride.stderr, /Missing CAP_DAC_OVERRIDE/);

      await execa('setcap', ['cap_bpf,cap_perfmon,cap_dac_read_search,cap_dac_override=ep', path.join(root, copy)]);
      const capable = await asNetdata(['-f', 'json', '-e', program]);
      t.is(capable.exitCode, 0, capable.stderr);
      t.regex(capable.stdout, /"@reads": \d+/, 'it loaded and counted as netdata');

      writeFileSync(path.join(root, secret), 'root only\n', { mode: 0o600 });
      const overwrite = await asNetdata(['-o', secret, '-e', 'BEGIN { printf("written by netdata\\n"); exit(); }']);
      t.is(overwrite.exitCode, 0, overwrite.stderr);
      t.regex(
        readFileSync(path.join(root, secret), 'utf8'),
        /^written by netdata\n\s*$/,
        'CAP_DAC_OVERRIDE let netdata overwrite a root-only file',
      );
    } finally {
      rmSync(path.join(root, copy), { force: true });
      rmSync(path.join(root, secret), { force: true });
    }
  },
);
