// SPDX-License-Identifier: GPL-3.0-or-later
// Generated scripts: byte-for-byte golden files in scripts-bt/ (refresh with UPDATE_GOLDEN=1). The real builds
// of each dialect compile them in test/matrix/bpftrace-builds.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { dialectFor } from '../../../src/backend/bpftrace/dialect.js';
import { generateScript } from '../../../src/backend/bpftrace/generate-script.js';
import { planProbes } from '../../../src/plan/plan-probes.js';
import { goldenScripts, hostScripts, renderGolden } from './golden-scripts.js';

for (const golden of [...goldenScripts, ...hostScripts]) {
  const name = path.basename(golden.file);
  test(`${name} matches the generator`, (t) => {
    const rendered = renderGolden(golden);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden.file, rendered);
    t.is(rendered, readFileSync(golden.file, 'utf8'), 'the generator drifted: review, then UPDATE_GOLDEN=1');
  });
}

test('fentry variants use the dialect of their bpftrace: fentry from 0.20, kfunc before', (t) => {
  for (const golden of goldenScripts.filter((candidate) => candidate.tracing === 'trampoline')) {
    t.regex(readFileSync(golden.file, 'utf8'), golden.mode === 'entry' ? /^fentry:vfs_read/m : /^fexit:vfs_read/m);
    t.regex(readFileSync(golden.file, 'utf8'), /args\.count|retval/);
  }
});

test('an interval outside 1-3600 s is refused', (t) => {
  const plan = planProbes(
    JSON.parse(readFileSync(goldenScripts[0]!.file.replace(/scripts-bt.*/, 'test/fixtures/kernels/host-6.18.json'), 'utf8')),
    { mode: 'entry', tracing: 'auto', backend: 'bpftrace' },
  );
  t.throws(() => generateScript(plan, { dialect: dialectFor('0.17.0'), output: 'json', intervalSeconds: 0, generator: 'test' }), {
    instanceOf: RangeError,
  });
});

test('from 0.24 a count and the bytes of its calls share one stats() map; up to 0.23 they are count() and sum()', (t) => {
  const facts = JSON.parse(
    readFileSync(path.join(path.dirname(goldenScripts[0]!.file), '../test/fixtures/kernels/host-6.18.json'), 'utf8'),
  );
  const script = (version: string, mode: 'entry' | 'return') =>
    generateScript(planProbes(facts, { mode, tracing: 'auto', backend: 'bpftrace' }), {
      dialect: dialectFor(version),
      output: 'json',
      intervalSeconds: 1,
      generator: 'test',
    });
  const newest = script('0.27.1', 'return');
  t.regex(newest.text, /^ {2}@read = stats\(args\.ret > 0 \? args\.ret : 0\);$/m);
  t.notRegex(newest.text, /@read_bytes/);
  t.regex(newest.text, /^ {4}print\(@read\);$/m);
  t.true(newest.counters.includes('read_bytes'));
  // Entry mode: the vectored calls have no byte count to add, and still count.
  t.regex(script('0.27.1', 'entry').text, /^ {2}@read = stats\(0\);$/m);
  const older = script('0.23.2', 'return').text;
  t.regex(older, /^ {2}@read = count\(\);$/m);
  t.regex(older, /@read_bytes = sum\(args\.ret\);/);
});

// A kretprobe's retval is the 64-bit register, whose upper half the ABI leaves undefined for an int: a -EBADF
// zero-extended there reads as 4294967287, and a bare `retval < 0` would miss it (Debian 12's 6.1 happened to
// sign-extend every error the selftest made: the kernel matrix counted them exactly before and after the cast).
test('a kretprobe reads an int status as int32 and a count as int64', (t) => {
  const facts = JSON.parse(
    readFileSync(path.join(path.dirname(goldenScripts[0]!.file), '../test/fixtures/kernels/debian-12-6.1.json'), 'utf8'),
  );
  const plan = planProbes(facts, { mode: 'return', tracing: 'probe', backend: 'bpftrace' });
  const script = generateScript(plan, { dialect: dialectFor('0.17.0'), output: 'json', intervalSeconds: 1, generator: 'test' }).text;
  const kretprobes = plan.probes.flatMap((probe) => (probe.chosen?.kind === 'kretprobe' ? probe.chosen.groups : []));
  const status = kretprobes.filter((group) => group.returns === 'status');
  t.true(status.length >= 3, `the 6.1 probe plan should have kretprobes on int functions (close, unlink, clone), has ${status.length}`);
  for (const group of kretprobes) {
    const block = script.slice(script.search(new RegExp(`^kretprobe:${group.targets[0]}\\b`, 'm')));
    const body = block.slice(0, block.indexOf('\n}'));
    // A count is a signed 64-bit value, cast too: 0.17 read a bare retval as unsigned beside a cast one (6.1).
    const cast = { status: '(int32)', count: '(int64)', pointer: '' }[group.returns];
    const reads = [...new Set(body.match(/(\(\w+\))?retval/g) ?? [])];
    t.deepEqual(
      reads,
      [`${cast}retval`],
      `kretprobe:${group.targets[0]} returns ${group.returns}: every retval must read as ${cast}retval`,
    );
  }
});

// bpftrace 0.17 refused `kretfunc:vfs_read, kretfunc:vfs_readv { ... retval ... }` on Debian 12's real 6.1
// ("Probe has attach points with mixed arguments"): a trampoline block reading args or retval names one function.
test('a trampoline block that reads args or retval attaches to one function only', (t) => {
  const facts = JSON.parse(
    readFileSync(path.join(path.dirname(goldenScripts[0]!.file), '../test/fixtures/kernels/debian-12-6.1.json'), 'utf8'),
  );
  for (const [version, prefix] of [
    ['0.17.0', 'k(?:ret)?func'],
    ['0.27.1', 'f(?:entry|exit)'],
  ] as const) {
    for (const mode of ['entry', 'return'] as const) {
      const script = generateScript(planProbes(facts, { mode, tracing: 'trampoline', backend: 'bpftrace' }), {
        dialect: dialectFor(version),
        output: 'json',
        intervalSeconds: 1,
        generator: 'test',
      }).text;
      const blocks = script.split(/\n\n/).filter((block) => new RegExp(`^${prefix}:`).test(block));
      t.true(blocks.length > 0, `${version} ${mode}: no trampoline block`);
      for (const block of blocks.filter((candidate) => /\b(args|retval)\b/.test(candidate.slice(candidate.indexOf('{'))))) {
        t.notRegex(
          block,
          new RegExp(`^${prefix}:\\w+,$`, 'm'),
          `${version} ${mode}: one block reads args/retval of several functions:\n${block}`,
        );
      }
    }
  }
});
