// SPDX-License-Identifier: GPL-3.0-or-later
// A backend that keeps dying is restarted with growing delays, then the other backend takes over, then the
// plugin sends DISABLE with the reasons; each step is one stderr line. Garbage output is charted as trouble.
// The collector runs fixture backends (test/fixtures/bin) on this host's recorded facts; the built plugin
// falling back to the real helper is in failure-policy.test.ts.
import test from 'ava';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { BackendCommand } from '../../src/backend/backend-command.js';
import { failure, success } from '../../src/outcome.js';
import type { CommandFactory } from '../../src/backend/backend-command.js';
import { Collector } from '../../src/plugin/collector.js';
import { maxLineLength } from '../../src/samples/parse-line.js';
import { ProtocolOutput } from '../../src/protocol/output-stream.js';
import { replayProtocol } from '../helpers/protocol-oracle.js';
import { loadKernelFixture } from '../plan/kernel-fixtures.js';
import { waitFor } from './support/plugin-process.js';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bin');
const fixture =
  (name: string): CommandFactory =>
  async () =>
    success<BackendCommand>({ backend: 'bpftrace', file: path.join(bin, name), args: [], env: {}, input: '' });

const collect = async (
  backends: Array<{ backend: 'bpftrace' | 'helper'; command: CommandFactory }>,
  until?: (stdout: string) => boolean,
) => {
  const stream = new PassThrough();
  let stdout = '';
  stream.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const log: string[] = [];
  const delays: number[] = [];
  const collector = new Collector({
    facts: (await loadKernelFixture('host-6.18')).facts,
    mode: 'entry',
    tracing: 'auto',
    updateEvery: 1,
    backends,
    log: (line) => log.push(line),
    output: new ProtocolOutput(stream, () => {}),
    backoff: {
      failuresBeforeFallback: 4,
      restartDelayMs: (failures) => {
        delays.push(failures);
        return 10;
      },
    },
  });
  const running = collector.run();
  if (until) {
    try {
      await waitFor(() => until(stdout), 'the expected output', 20_000);
    } finally {
      await collector.stop();
    }
  }
  return { code: await running, stdout, log, delays };
};

test('a backend that always dies is restarted with growing backoff, then the next backend, then DISABLE with the reasons', async (t) => {
  const { code, stdout, log, delays } = await collect([
    { backend: 'bpftrace', command: fixture('dying-bpftrace') },
    { backend: 'helper', command: async () => failure('the helper is not built for this arch (make -C bpf-fallback)') },
  ]);
  t.is(code, 1);
  t.deepEqual(delays, [1, 2, 3], 'the delay grows with each failure in a row');
  t.is(log.filter((line) => /^bpftrace exited with code 1: ERROR: fixture bpftrace dies on purpose; restarting in/.test(line)).length, 3);
  t.regex(log.at(-3)!, /^bpftrace backend gave up \(4 runs in a row ended without data; .*\); falling back to the helper backend$/);
  t.is(log.at(-2)!, 'helper backend gave up (the helper is not built for this arch (make -C bpf-fallback)); no other backend to try');
  t.regex(
    log.at(-1)!,
    /^nothing can collect on this host, disabling: bpftrace: .*; helper: the helper is not built .*Run `ebpf-process check`/,
  );
  t.is(log.length, 6, 'one line per step');
  t.true(stdout.trimEnd().endsWith('DISABLE'));
});

test('a failure to load BPF names the fix: capabilities and systemd LimitMEMLOCK', async (t) => {
  const { log } = await collect([{ backend: 'bpftrace', command: fixture('memlock-bpftrace') }]);
  t.regex(log[0]!, /ulimit -l.*Fix: .*LimitMEMLOCK=infinity/);
});

test('garbage, a total going back and lost events show in ebpf.plugin_health while the charts go on', async (t) => {
  const { stdout, log } = await collect(
    [{ backend: 'bpftrace', command: fixture('garbage-backend') }],
    (out) => out.split('BEGIN ebpf.file_descriptor').length > 5,
  );
  const charts = replayProtocol(stdout);
  const opens = charts.get('ebpf.file_descriptor')!.updates.map((update) => update.values.get('open')!);
  t.deepEqual(opens.slice(0, 4), [10n, 20n, 20n, 30n], 'the total that went back was not taken');
  const health = charts.get('ebpf.plugin_health')!.updates.at(-1)!.values;
  t.is(health.get('lost_events'), 7n);
  t.is(health.get('parse_errors'), 3n, 'not JSON, went back, oversized');
  t.true(log.some((line) => line.includes('not JSON: not json at all')));
  t.true(log.some((line) => line.includes('went back from 20 to 5')));
  t.true(log.some((line) => line.includes(`line of 5000000 bytes exceeds ${maxLineLength}`)));
});
