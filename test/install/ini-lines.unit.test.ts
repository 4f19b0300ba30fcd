// SPDX-License-Identifier: GPL-3.0-or-later
import test from 'ava';
import { readOption, removeOption, setOption } from '../../src/install/ini-lines.js';

const debianNetdataConf = `# NetData Configuration

[global]
\trun as user = netdata
\t# a comment kept as is
\tbind socket to IP = 127.0.0.1
`;

test('setOption adds a missing section at the end and removeOption gives back the original bytes', (t) => {
  const enabled = setOption(debianNetdataConf, 'plugins', 'ebpf_process', 'yes');
  t.is(enabled, `${debianNetdataConf}\n[plugins]\n\tebpf_process = yes\n`);
  t.is(removeOption(enabled, 'plugins', 'ebpf_process'), debianNetdataConf);
});

test('setOption replaces the existing value and keeps the other lines of the section', (t) => {
  const text = '[plugins]\n\tproc = no\n\tebpf_process = no\n\n[web]\n\tmode = none\n';
  const changed = setOption(text, 'plugins', 'ebpf_process', 'yes');
  t.is(changed, '[plugins]\n\tproc = no\n\tebpf_process = yes\n\n[web]\n\tmode = none\n');
  t.is(readOption(changed, 'plugins', 'ebpf_process'), 'yes');
});

test('setOption inserts after the last option of a section, before the blank line that ends it', (t) => {
  const changed = setOption('[global]\n\ta = 1\n\n[web]\n\tb = 2\n', 'global', 'backend', 'helper');
  t.is(changed, '[global]\n\ta = 1\n\tbackend = helper\n\n[web]\n\tb = 2\n');
});

test('a commented-out option is not mistaken for a set one', (t) => {
  const text = '[plugins]\n\t# ebpf_process = yes\n';
  t.is(readOption(text, 'plugins', 'ebpf_process'), undefined);
  t.is(setOption(text, 'plugins', 'ebpf_process', 'yes'), '[plugins]\n\t# ebpf_process = yes\n\tebpf_process = yes\n');
});

test('removeOption keeps a section that still holds something', (t) => {
  t.is(removeOption('[plugins]\n\tproc = no\n\tebpf_process = yes\n', 'plugins', 'ebpf_process'), '[plugins]\n\tproc = no\n');
});

test('setOption refuses a value that would write a second line', (t) => {
  const error = t.throws(() => setOption('', 'global', 'helper path', '/x\n[plugins]'));
  t.regex(error.message, /one non-empty line/);
});
