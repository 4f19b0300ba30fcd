// SPDX-License-Identifier: GPL-3.0-or-later
// Debian's stock apps_groups.conf, from the installed netdata package, with Netdata's rules. Each pattern
// kind and bad lines: parse-groups.unit.test.ts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { fitRulesToComm } from '../../src/apps/fit-to-comm.js';
import { groupMatcher } from '../../src/apps/group-rules.js';
import { parseAppsGroups } from '../../src/apps/parse-groups.js';

// The file Debian's netdata package ships, found the way a user would find it.
const stockFile = (): string => {
  const listed = execFileSync('dpkg', ['-L', 'netdata-core'], { encoding: 'utf8' })
    .split('\n')
    .find((line) => line.endsWith('/apps_groups.conf'));
  if (!listed) throw new Error('netdata-core lists no apps_groups.conf: apt-get install netdata');
  return listed;
};

test("Debian's stock apps_groups.conf parses without a bad line and groups real program names", (t) => {
  const stock = stockFile();
  const parsed = parseAppsGroups(readFileSync(stock, 'utf8'), stock);
  t.deepEqual(parsed.warnings, []);
  t.true(parsed.groups.length > 100);
  t.is(new Set(parsed.groups.map((group) => group.name)).size, parsed.groups.length, 'a group named on several lines is one group');
  const fitted = fitRulesToComm(parsed.rules, stock);
  const groupOf = groupMatcher(fitted.rules);
  const expected: Record<string, string> = {
    netdata: 'netdata',
    mysqld: 'sql',
    postgres: 'sql',
    nginx: 'httpd',
    sshd: 'ssh',
    kthreadd: 'kernel',
    'systemd-logind': 'system',
    // systemd-journald is 16 characters: the kernel shows systemd-journal, and it is still in `logs`, whose
    // line comes before system's `systemd-*`.
    'systemd-journal': 'logs',
    'no-such-program': 'other',
  };
  for (const [comm, group] of Object.entries(expected)) t.is(groupOf(comm), group, comm);
  // One line per kind of problem, not one per pattern.
  t.is(fitted.warnings.length, 2);
  t.regex(fitted.warnings[0]!, /longer than the 15 characters.*systemd-journald \(logs, line \d+\)/);
  t.regex(fitted.warnings[1]!, /can never match.*\*graphite\/manage.py\*/);
});
