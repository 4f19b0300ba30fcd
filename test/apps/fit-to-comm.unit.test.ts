// SPDX-License-Identifier: GPL-3.0-or-later
// Rules that need more than the 15 characters the kernel keeps of a task's name.
import test from 'ava';
import { commMaxLength, fitRulesToComm } from '../../src/apps/fit-to-comm.js';
import { groupMatcher } from '../../src/apps/group-rules.js';
import { parseAppsGroups } from '../../src/apps/parse-groups.js';

test(
  'long exact and prefix names are cut to 15 characters like comm; ' + 'long suffixes, substrings and paths are dropped, said once each',
  (t) => {
    const parsed = parseAppsGroups(
      [
        'long: nethermind-ethereum clickhouse-server-extra*',
        'tail: *very-long-suffix-name',
        'java: *org.apache.hadoop.hdfs.server.datanode.DataNode* *graphite/manage.py* java',
      ].join('\n'),
      'f',
    );
    const fitted = fitRulesToComm(parsed.rules, 'f');
    t.deepEqual(
      fitted.rules.map((rule) => [rule.kind, rule.text]),
      [
        ['exact', 'nethermind-ethe'],
        ['prefix', 'clickhouse-serv'],
        ['exact', 'java'],
      ],
    );
    t.is(fitted.warnings.length, 2);
    t.regex(fitted.warnings[0]!, /^f: 2 process names are longer than the 15 characters/);
    t.regex(fitted.warnings[1]!, /^f: 3 patterns can never match/);
    const groupOf = groupMatcher(fitted.rules);
    // What the kernel shows for programs with these long names.
    t.is(groupOf('nethermind-ethereum'.slice(0, commMaxLength)), 'long');
    t.is(groupOf('clickhouse-server'.slice(0, commMaxLength)), 'long');
    t.is(groupOf('java'), 'java');
  },
);
