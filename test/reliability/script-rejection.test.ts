// SPDX-License-Identifier: GPL-3.0-or-later
// A script bpftrace refuses to compile is our bug: the plugin says so once with bpftrace's own error, counts it in
// ebpf.plugin_health and moves to the helper at once, instead of restarting bpftrace four times first.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { cli } from '../helpers/run-plugin.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { startPlugin, waitFor } from './support/plugin-process.js';

// The seam: the host's real bpftrace 0.17 behind a wrapper that calls itself 0.23.2. The plugin writes the 0.23
// dialect, whose config block 0.17 reads as a syntax error: a real bpftrace rejecting a generated script.
const lyingBpftrace = `#!/bin/sh
[ "$1" = --version ] && { echo 'bpftrace v0.23.2'; exit 0; }
exec /usr/bin/bpftrace "$@"
`;

test('a generated script bpftrace rejects: its error once on stderr, the helper at once, script_errors 1', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-process-rejection-'));
  const plugin = { current: undefined as ReturnType<typeof startPlugin> | undefined };
  try {
    writeFileSync(path.join(dir, 'bpftrace'), lyingBpftrace);
    chmodSync(path.join(dir, 'bpftrace'), 0o755);
    const config = path.join(dir, 'ebpf_process.conf');
    writeFileSync(config, `[global]\n  backend = bpftrace\n  bpftrace path = ${path.join(dir, 'bpftrace')}\n`);
    // bpftrace's exact words for the same script, asked directly.
    const script = await execa(cli, ['script', '--config', config, '--json-output']);
    const direct = await execa('/usr/bin/bpftrace', ['--emit-elf', '/dev/null', '-'], { input: script.stdout, reject: false });
    const errorLine = direct.stderr.split('\n').find((line) => /^stdin:[\d:-]+: ERROR: /.test(line));
    t.truthy(errorLine, direct.stderr);

    const started = Date.now();
    plugin.current = startPlugin(['1', '--config', config]);
    const { stdout, stderr } = plugin.current;
    const health = () =>
      replayProtocol(stdout().slice(0, stdout().lastIndexOf('\n') + 1))
        .get('ebpf.plugin_health')
        ?.updates.at(-1)?.values;
    await waitFor(() => health() !== undefined, "the helper's first data");
    t.true(Date.now() - started < 6000, `the helper took over after ${Date.now() - started} ms`);
    t.is(health()!.get('script_errors'), 1n);
    t.is(stderr().split(errorLine!).length - 1, 1, `bpftrace's error exactly once:\n${stderr()}`);
    t.regex(stderr(), /bpftrace rejected the script ebpf-process generated for it: a bug in ebpf-process/);
    t.regex(stderr(), /bpftrace backend gave up \(it rejected the generated script\); falling back to the helper backend/);
    t.notRegex(stderr(), /restarting in/, 'no restarts');
  } finally {
    plugin.current?.child.kill('SIGTERM');
    await plugin.current?.child;
    rmSync(dir, { recursive: true, force: true });
  }
});
