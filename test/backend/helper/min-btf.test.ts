// SPDX-License-Identifier: GPL-3.0-or-later
// The minimal BTF: bpftool writes it for real, the plugin passes it when it matches and others cannot write
// it, the helper refuses a file that is not BTF, and with it the helper's counts are still exact (selftest).
// Its key and lookup on a made-up kernel: min-btf.unit.test.ts.
import test from 'ava';
import { execa } from 'execa';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { helperObjectPath, helperPath } from '../../../src/backend/helper/locate-helper.js';
import { findMinBtf, minBtfDir, minBtfPath, runningKernel } from '../../../src/backend/helper/min-btf.js';
import { helperFactory } from '../../../src/backend/helper/helper-backend.js';
import { success } from '../../../src/outcome.js';
import { generateMinBtf } from '../../../src/install/generate-min-btf.js';
import { tracepointPlan } from './support/made-up-hosts.js';
import { reportedEvents, runToEnd, startHelper } from '../../helpers/backend-process.js';
import { cli } from '../../helpers/run-plugin.js';
import { assertSelftestExact } from '../../helpers/selftest-result.js';
import { buildHelper } from './support/build.js';
import { placeBtf, privateHelper } from './support/private-helper.js';

// One INT type: valid BTF, but without the kernel types the helper's CO-RE relocations name.
const foreignBtf = (): Buffer => {
  const strings = Buffer.from('\0int\0');
  const type = Buffer.alloc(16);
  type.writeUInt32LE(1, 0); // name "int"
  type.writeUInt32LE(1 << 24, 4); // BTF_KIND_INT
  type.writeUInt32LE(4, 8); // size
  type.writeUInt32LE(32, 12); // bits
  const header = Buffer.alloc(24);
  header.writeUInt16LE(0xeb9f, 0);
  header.writeUInt8(1, 2);
  header.writeUInt32LE(24, 4);
  header.writeUInt32LE(0, 8);
  header.writeUInt32LE(type.length, 12);
  header.writeUInt32LE(type.length, 16);
  header.writeUInt32LE(strings.length, 20);
  return Buffer.concat([header, type, strings]);
};

test("generateMinBtf writes this kernel's file with bpftool, atomically and once, and drops other kernels' files", async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  await buildHelper();
  const stale = path.join(minBtfDir(helper), 'old-kernel-0123456789abcdef.btf');
  await placeBtf(stale);
  const first = await generateMinBtf(helper, helperObjectPath(helperPath()));
  const file = minBtfPath(helper, await runningKernel());
  t.deepEqual(first, { action: 'created', path: file, what: 'minimal BTF of this kernel for the helper' });
  t.deepEqual(await readdir(minBtfDir(helper)), [path.basename(file)], "no other kernel's file and no temporary left");
  const info = await stat(file);
  t.is(info.mode & 0o7777, 0o644);
  t.is(info.uid, process.geteuid!());
  t.is((await readFile(file)).readUInt16LE(0), 0xeb9f, 'raw BTF');
  t.true(info.size < 64 * 1024, `${info.size} bytes: only the types the object relocates`);
  t.like(await generateMinBtf(helper, helperObjectPath(helperPath())), { action: 'unchanged', path: file });
  t.deepEqual(await findMinBtf(helper), success(file));
});

test('without the BPF object nothing is written, a stale file goes, and the note says what to do', async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  const file = minBtfPath(helper, await runningKernel());
  await placeBtf(file);
  const step = await generateMinBtf(helper, path.join(path.dirname(helper), 'absent.bpf.o'));
  t.is(step.action, 'skipped');
  t.regex(step.what, /absent\.bpf\.o is missing\. Fix: make -C bpf-fallback.*reads the kernel's whole BTF instead/);
  t.deepEqual(await readdir(minBtfDir(helper)), []);
});

test.serial('without bpftool the note names the package to install', async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  const object = helperObjectPath(await buildHelper()); // make needs the PATH too
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  t.teardown(() => {
    process.env.PATH = saved;
  });
  const step = await generateMinBtf(helper, object);
  t.is(step.action, 'skipped');
  t.regex(step.what, /bpftool is not installed\. Fix: apt install bpftool/);
});

test("the helper backend passes --btf for this kernel's file, and not another kernel's", async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  await execa('cp', ['-p', await buildHelper(), helper]);
  const factory = helperFactory(1, helper);
  const other = minBtfPath(helper, { ...(await runningKernel()), btfSize: 1 });
  await placeBtf(other);
  const without = await factory(tracepointPlan);
  t.false(!without.ok || without.value.args.includes('--btf'), JSON.stringify(without));
  const file = minBtfPath(helper, await runningKernel());
  await placeBtf(file);
  const withBtf = await factory(tracepointPlan);
  if (!withBtf.ok) return t.fail(withBtf.reason);
  t.is(withBtf.value.args[withBtf.value.args.indexOf('--btf') + 1], file);
});

test('the helper refuses a --btf that is missing or not BTF, with a usage error', async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  const garbage = path.join(path.dirname(helper), 'garbage.btf');
  await writeFile(garbage, 'not BTF at all, just text that is long enough to be a header\n');
  for (const [file, message] of [
    [garbage, /--btf is not a BTF file/],
    [`${garbage}.absent`, /--btf is not a readable file/],
  ] as const) {
    const run = await runToEnd(await buildHelper(), ['--btf', file, '--counters', 'read', 'read_tp=syscalls:sys_enter_read']);
    t.is(run.code, 2, run.stderr);
    t.regex(run.stderr, message);
  }
});

test("a BTF without the object's types is not taken for refused programs: the helper says so and uses the kernel's BTF", async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  const foreign = path.join(path.dirname(helper), 'foreign.btf');
  await writeFile(foreign, foreignBtf());
  const run = startHelper(await buildHelper(), [
    '--interval-ms',
    '100',
    '--btf',
    foreign,
    '--counters',
    'read,read_bytes',
    'read_tp=syscalls:sys_enter_read',
  ]);
  t.teardown(() => run.stop());
  const sample = await run.nextSample();
  t.true(sample.read! >= 0 && sample.read_bytes! >= 0, JSON.stringify(sample));
  t.is(await run.stop(), 0, 'ended by its signal, after attaching');
  t.regex(run.stderr(), /load with the kernel's BTF but not with --btf .*foreign\.btf: it was made for another build .*regenerate it/);
  t.notRegex(run.stderr(), /attach failed/);
});

test('check says whether the helper has a minimal BTF for this kernel, and how to get one', async (t) => {
  const { helper, remove } = await privateHelper();
  t.teardown(remove);
  await execa('cp', ['-p', await buildHelper(), helper]);
  const config = path.join(path.dirname(helper), 'ebpf_process.conf');
  await writeFile(config, `[global]\nbackend = helper\nhelper path = ${helper}\n`);
  const missing = await execa(cli, ['check', '--config', config], { reject: false });
  t.regex(missing.stdout, /warn {4}helper min BTF {5}no minimal BTF for kernel .*reads the kernel's whole BTF/);
  // A copy of the package's helper (as install makes for Netdata): the fix names both commands that write one.
  t.regex(
    missing.stdout,
    /fix: for the copy Netdata runs, `sudo ebpf-process install` again; for the package's own helper, `ebpf-process min-btf`/,
  );
  const step = await generateMinBtf(helper, helperObjectPath(helperPath()));
  const present = await execa(cli, ['check', '--config', config], { reject: false });
  t.true(present.stdout.includes(`ok      helper min BTF     ${step.path}: the helper relocates against it`), present.stdout);
});

test('a program the kernel refuses is reported as refused with --btf too, without blaming the file', async (t) => {
  const helper = await buildHelper();
  const step = await generateMinBtf(helper, helperObjectPath(helper));
  // This host refuses fentry (EPERM under lockdown): the load fails with and without the minimal BTF.
  const run = await runToEnd(helper, [
    '--btf',
    step.path,
    '--counters',
    'read,open',
    'read_fentry=vfs_read',
    'open_tp=syscalls:sys_enter_openat',
  ]);
  t.is(run.code, 3, run.stderr);
  t.deepEqual(
    reportedEvents(run.stdout),
    [
      {
        event: 'program_refused',
        program: 'read_fentry',
        kind: 'fentry',
        targets: ['vfs_read'],
        errno: 1,
        reason: 'Operation not permitted',
      },
    ],
    'refused, and no btf_rejected',
  );
});

// Whether some helper of this repo is running with `--btf file`, from /proc (the selftest does not print its command).
const helperRunsWith = async (file: string): Promise<boolean> => {
  for (const pid of await readdir('/proc')) {
    const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').then(
      (text) => text.split('\0'),
      () => [] as string[],
    );
    if (argv[0] === helperPath() && argv[argv.indexOf('--btf') + 1] === file) return true;
  }
  return false;
};

const selftestWithMinBtf = test.macro(async (t, mode: string) => {
  await buildHelper();
  const step = await generateMinBtf(helperPath(), helperObjectPath(helperPath()));
  t.true(step.action === 'created' || step.action === 'unchanged', JSON.stringify(step));
  const run = execa(cli, ['selftest', '--backend', 'helper', '--mode', mode, '--rounds', '2'], { reject: false });
  const finished = run.then(() => true);
  let used = false;
  while (!used && !(await Promise.race([finished, new Promise<boolean>((resolve) => setTimeout(resolve, 50, false))]))) {
    used = await helperRunsWith(step.path);
  }
  const result = await run;
  t.is(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  t.true(used, "the selftest's helper ran with --btf");
  assertSelftestExact(t, result.stdout);
});

test.serial('with the minimal BTF the helper counts the entry-mode workload exactly (selftest)', selftestWithMinBtf, 'entry');
test.serial('with the minimal BTF the helper counts the return-mode workload exactly (selftest)', selftestWithMinBtf, 'return');
