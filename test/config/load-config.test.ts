// SPDX-License-Identifier: GPL-3.0-or-later
// The built commands with a config file: defaults after a bad value, and the helper `helper path` names. How
// the file itself is read: load-config.unit.test.ts.
import { chmodSync, copyFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { cli, repoRoot } from '../helpers/run-plugin.js';
import { withTempDir } from '../helpers/temp-file.js';

test('the plugin goes on with defaults after a bad config and says so on stderr', (t) =>
  withTempDir(async (dir) => {
    const file = path.join(dir, 'bad.conf');
    writeFileSync(file, '[global]\nebpf load mode = sideways\n');
    const result = await execa(cli, ['dry-run', '--config', file, '--json'], { reject: false });
    t.is(result.exitCode, 0);
    t.is(JSON.parse(result.stdout).mode, 'entry');
    t.regex(result.stderr, /ebpf load mode = "sideways": expected entry or return; using the default "entry"/);
  }));

test('dry-run plans for the helper `helper path` names, and says why it cannot use a missing one', (t) =>
  withTempDir(async (dir) => {
    const helperCopy = path.join(dir, 'bin', 'ebpf-process-helper');
    mkdirSync(path.dirname(helperCopy), { mode: 0o755 });
    copyFileSync(path.join(repoRoot, 'bpf-fallback', 'bin', os.machine(), 'ebpf-process-helper'), helperCopy);
    chmodSync(helperCopy, 0o755);
    chmodSync(dir, 0o755);
    const file = path.join(dir, 'ebpf_process.conf');
    writeFileSync(file, `[global]\nbackend = helper\nhelper path = ${helperCopy}\n`);
    const chosen = JSON.parse((await execa(cli, ['dry-run', '--config', file, '--json'])).stdout);
    t.is(chosen.backend, 'helper');
    t.is(chosen.backendReason, `helper at ${helperCopy}`);
    writeFileSync(file, `[global]\nbackend = helper\nhelper path = ${path.join(dir, 'absent')}\n`);
    const check = await execa(cli, ['check', '--config', file], { reject: false });
    t.regex(check.stdout, new RegExp(`backend helper\\s+helper path ${path.join(dir, 'absent')}: no such file`));
  }));
