// SPDX-License-Identifier: GPL-3.0-or-later
// The real helper on this host, where the kernel refuses fentry/fexit programs (EPERM): each refusal arrives as
// a typed event on stdout, and the plugin's supervision loop re-plans around it and charts data, without
// reading the helper's stderr.
import test from 'ava';
import { PassThrough } from 'node:stream';
import { backendFactories } from '../../../src/backend/backend-factories.js';
import { resolveHost } from '../../../src/cli/resolve-host.js';
import { gatherFacts } from '../../../src/kernel/gather.js';
import { catalogueNames } from '../../../src/plan/catalogue.js';
import { success } from '../../../src/outcome.js';
import { Collector } from '../../../src/plugin/collector.js';
import { ProtocolOutput } from '../../../src/protocol/output-stream.js';
import { waitFor } from '../../reliability/support/plugin-process.js';
import { buildHelper } from './support/build.js';

test('--tracing trampoline: the refused fentry/fexit programs arrive as typed events and the plugin re-plans', async (t) => {
  await buildHelper();
  const host = await resolveHost({});
  // Gathered without the helper's probe, which would tell fentry is refused: the plan tries it, and the refusal
  // must come from the run's events.
  const facts = await gatherFacts(catalogueNames());
  const stream = new PassThrough();
  let stdout = '';
  stream.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const log: string[] = [];
  const planned: string[] = [];
  const { bpftraceProblem, settings } = host;
  const helper = backendFactories({ facts, bpftraceProblem, helperPath: settings.config.helperPath, updateEvery: 1 }).helper;
  const collector = new Collector({
    facts,
    mode: 'return',
    tracing: 'trampoline',
    updateEvery: 1,
    log: (line) => log.push(line),
    output: new ProtocolOutput(stream, () => {}),
    backends: [
      {
        backend: 'helper',
        // The helper's stderr goes to /dev/null: the refusals must come from its stdout events alone.
        command: async (plan) => {
          const built = await helper(plan);
          if (!built.ok) return built;
          planned.push(plan.probes.map((probe) => probe.chosen?.family ?? '-').join(','));
          const { file, args } = built.value;
          return success({ ...built.value, file: '/bin/sh', args: ['-c', 'exec "$0" "$@" 2>/dev/null', file, ...args] });
        },
      },
    ],
  });
  const running = collector.run();
  try {
    await waitFor(() => /^BEGIN '?ebpf\.file_descriptor/m.test(stdout), 'the first data block after the re-plan', 30_000);
  } finally {
    await collector.stop();
  }
  t.is(await running, 0);
  t.is(planned.length, 2, 'one run refused, one re-plan');
  t.true(
    planned[0]!.split(',').every((family) => family === 'trampoline'),
    `first plan: ${planned[0]}`,
  );
  t.true(
    planned[1]!.split(',').every((family) => family === 'tracepoint'),
    `re-plan: ${planned[1]}`,
  );
  t.regex(log.join('\n'), /^falling back: all trampoline probes \(f(entry|exit):\w+ was refused: Operation not permitted\)$/m);
});
