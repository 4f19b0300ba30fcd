// SPDX-License-Identifier: GPL-3.0-or-later
// `check` run as the netdata user: it tells the unprivileged Node process apart from the capable helper.
import test from 'ava';
import { execa } from 'execa';
import { chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildHelper } from '../backend/helper/support/build.js';
import { cli } from '../helpers/run-plugin.js';

const asNetdata = ['--reuid', 'netdata', '--regid', 'netdata', '--init-groups'];

test('as netdata, check names the helper that can load BPF, or says neither can and how to fix it', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-check-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await chmod(dir, 0o755);
  const helper = path.join(dir, 'ebpf-process-helper');
  await copyFile(await buildHelper(), helper);
  await chmod(helper, 0o755);
  const config = path.join(dir, 'ebpf_process.conf');
  await writeFile(config, `[global]\nbackend = helper\nhelper path = ${helper}\n`, { mode: 0o644 });
  const check = async () => execa('setpriv', [...asNetdata, process.execPath, cli, 'check', '--config', config], { reject: false });

  const plain = await check();
  t.is(plain.exitCode, 1);
  t.regex(
    plain.stdout,
    new RegExp(`MISSING privileges +node process: uid \\d+ lacks CAP_BPF\\+CAP_PERFMON; helper at ${helper}: cannot load BPF either`),
  );
  // tracefs is mounted here with mode 0700 (Debian's default): not readable is not "not mounted" (issue 26).
  t.regex(
    plain.stdout,
    new RegExp(
      String.raw`^MISSING tracefs +mounted at /sys/kernel/tracing, but uid \d+ cannot read it\n +fix: run as root, ` +
        String.raw`or ${'`'}sudo ebpf-process install${'`'} \(its helper reads tracefs with CAP_DAC_READ_SEARCH\)$`,
      'm',
    ),
    plain.stdout,
  );

  await execa('setcap', ['cap_bpf,cap_perfmon,cap_dac_read_search=ep', helper]);
  const capable = await check();
  t.is(capable.exitCode, 0, capable.stdout);
  t.regex(
    capable.stdout,
    new RegExp(`ok +privileges +node process: not privileged \\(uid \\d+\\); helper at ${helper}: can load BPF \\(file capabilities\\)`),
  );
  t.regex(capable.stdout, /ok +tracefs +mounted at \/sys\/kernel\/tracing \(seen by the helper/);
  t.regex(capable.stdout, /backend bpftrace +bpftrace .* is only run as root/);
  t.regex(capable.stdout, new RegExp(`backend: helper \\(helper at ${helper}`));
});
