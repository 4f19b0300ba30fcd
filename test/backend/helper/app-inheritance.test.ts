// SPDX-License-Identifier: GPL-3.0-or-later
// apps = yes as apps.plugin groups tasks, decided in the kernel: with a real apps_groups.conf (the stock file, with a
// group for the workload added in a user copy), a matched script's children and grandchildren, which exec under
// names no group matches (sh, cat, head), count under the script's name; a child that renames itself to a name a
// prefix matches (syslog*: `logs`) counts under its own name, and so does its child. In both key stores, and the
// names still add up to the host.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { loadAppsGroups } from '../../../src/apps/load-groups.js';
import { appNamesArgument } from '../../../src/backend/helper/helper-command.js';
import { chooseAppInheritance } from '../../../src/plan/app-inheritance.js';
import { startHelper, type RunningHelper, type Sample } from '../../helpers/backend-process.js';
import { buildHelper } from './support/build.js';
import { samplesAcross } from './support/followed-sample.js';

const stockGroups = '/usr/lib/netdata/conf.d/apps_groups.conf';
const counters = ['open', 'exit', 'release'] as const;

// `; true` keeps each shell from exec'ing its last command, so that the tree is the same under every sh.
const script = `#!/bin/sh
read go
cat /dev/null
sh -c 'cat /dev/null; head -c0 /dev/null; true'
sh -c 'printf syslogtest > /proc/self/comm; cat /dev/null; true'
`;

const names = (sample: Sample, counter: string): Record<string, number> =>
  (sample[`${counter}__comm`] as unknown as Record<string, number> | undefined) ?? {};

test('children exec-ing under unmatched names count under their matched parent, in both key stores', async (t) => {
  const stock = await readFile(stockGroups, 'utf8').catch(() => undefined);
  if (stock === undefined) return t.fail(`${stockGroups} is missing: install netdata-core (the real apps_groups.conf)`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'apps-inheritance-'));
  const helper = await buildHelper();
  await writeFile(path.join(dir, 'apps_groups.conf'), `apps3: apps3parent\n${stock}`);
  await writeFile(path.join(dir, 'apps3parent'), script);
  await chmod(path.join(dir, 'apps3parent'), 0o700);
  const groups = await loadAppsGroups({ NETDATA_USER_CONFIG_DIR: dir });
  t.is(groups.groupOf('apps3parent'), 'apps3');
  t.is(groups.groupOf('syslogtest'), 'logs');
  const workload = execa(path.join(dir, 'apps3parent'), { stdin: 'pipe' });
  const common = [
    '--interval-ms',
    '200',
    '--pid',
    String(workload.pid),
    '--per-comm',
    '64',
    '--app-names',
    appNamesArgument(chooseAppInheritance('helper', groups.rules).names),
    '--counters',
    counters.join(','),
    'open_tp=syscalls:sys_enter_openat',
    'exit_tp=sched:sched_process_exit',
    'release_tp=sched:sched_process_free',
  ];
  const tracers: Record<string, RunningHelper> = {
    slots: startHelper(helper, common),
    hashes: startHelper(helper, ['--hash-keys', ...common]),
  };
  try {
    const [slots, hashes] = await samplesAcross(Object.values(tracers), workload);
    for (const [store, sample] of Object.entries({ slots: slots!, hashes: hashes! })) {
      const exits = names(sample, 'exit');
      // The script, its cat, the first sh and its cat and head: 5 under the script's name; the renamed sh and its cat: 2.
      t.deepEqual(exits, { apps3parent: 5, syslogtest: 2 }, `${store}: exits per name`);
      t.deepEqual(names(sample, 'release'), exits, `${store}: releases per name, as the exits`);
      for (const counter of counters) {
        const perName = names(sample, counter);
        t.deepEqual(Object.keys(perName).sort(), ['apps3parent', 'syslogtest'], `${store}: ${counter} only under the two matched names`);
        t.is(
          Object.values(perName).reduce((sum, value) => sum + value, 0),
          sample[counter],
          `${store}: ${counter} per name adds up to the host's`,
        );
      }
    }
  } finally {
    await Promise.all(Object.values(tracers).map((tracer) => tracer.stop()));
    workload.kill();
    await rm(dir, { recursive: true, force: true });
  }
});
