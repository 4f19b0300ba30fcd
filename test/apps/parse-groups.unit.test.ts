// SPDX-License-Identifier: GPL-3.0-or-later
// apps_groups.conf with Netdata's rules: each pattern kind, and bad lines. Debian's own stock file, as the
// installed netdata package ships it: parse-groups.test.ts.
import test from 'ava';
import { fitRulesToComm } from '../../src/apps/fit-to-comm.js';
import { groupMatcher } from '../../src/apps/group-rules.js';
import { parseAppsGroups } from '../../src/apps/parse-groups.js';

const file = '/test/apps_groups.conf';
const groupsOf = (lines: readonly string[]) => {
  const parsed = parseAppsGroups(lines.join('\n'), file);
  return { ...parsed, groupOf: groupMatcher(fitRulesToComm(parsed.rules, file).rules) };
};

test('exact, prefix, suffix and substring patterns, first match wins, unmatched tasks in `other`', (t) => {
  const { groupOf, groups } = groupsOf(['db: mysqld postgres*', 'web: *nginx "*http*"', 'all: *', 'late: mysqld']);
  t.is(groupOf('mysqld'), 'db');
  t.is(groupOf('mysqld2'), 'other', 'an exact name is not a prefix');
  t.is(groupOf('postgres: wal'), 'db');
  t.is(groupOf('my-nginx'), 'web');
  t.is(groupOf('nginx-worker'), 'other', 'a suffix is not a prefix');
  t.is(groupOf('lighthttpd'), 'web');
  t.deepEqual(
    groups.map((group) => group.name),
    ['db', 'web', 'late'],
    'the `*` alone defines nothing',
  );
});

const hiddenAndQuoted = [
  '# a comment',
  '-quiet: cron   # the rest is a comment: sshd',
  'sql: mysqld',
  "sql: 'my db:1' \"it's\"",
  'shown: -atd',
  'shown: anacron',
  'quiet: sshd',
];

test('a group named again gets more names; `-` hides a group; `#` ends a line; quotes keep spaces and colons', (t) => {
  const { groupOf, groups, warnings } = groupsOf(hiddenAndQuoted);
  t.deepEqual(warnings, []);
  t.deepEqual(groups, [
    { name: 'quiet', hidden: true },
    { name: 'sql', hidden: false },
    { name: 'shown', hidden: true },
  ]);
  t.is(groupOf('sshd'), 'quiet');
  t.is(groupOf('my db:1'), 'sql');
  t.is(groupOf("it's"), 'sql');
  t.is(groupOf('anacron'), 'shown');
});

test('a group called `other` in the file takes the unmatched tasks', (t) => {
  const { groupOf, groups } = groupsOf(['first: a', 'other: b']);
  t.is(groupOf('zzz'), 'other');
  t.deepEqual(
    groups.map((group) => group.name),
    ['first', 'other'],
  );
});

const badLines = ['good: alpha', "broken: 'beta", 'empty:', 'bad/name: gamma', 'stars: * ** delta', 'odd: ep*silon', 'good: zeta'];

test('a bad line names the file and line and is skipped; the lines around it are used', (t) => {
  const { groupOf, warnings } = groupsOf(badLines);
  t.is(warnings.length, 6);
  t.regex(warnings[0]!, /^\/test\/apps_groups.conf line 2: a ' quote is not closed/);
  t.regex(warnings[1]!, /line 3: group `empty` lists no process names/);
  t.regex(warnings[2]!, /line 4: group name "bad\/name" may use only letters/);
  t.regex(warnings[3]!, /line 5: "\*" in group `stars` has no name to match/);
  t.regex(warnings[4]!, /line 5: "\*\*" in group `stars` has no name to match/);
  t.regex(warnings[5]!, /line 6: "ep\*silon" in group `odd`: Netdata takes a \* inside a name literally/);
  for (const [comm, group] of [
    ['alpha', 'good'],
    ['zeta', 'good'],
    ['delta', 'stars'],
    ['beta', 'other'],
    ['gamma', 'other'],
    ['ep*silon', 'odd'],
  ])
    t.is(groupOf(comm!), group, comm);
});
