// SPDX-License-Identifier: GPL-3.0-or-later
// npm pack carries the built helper, its BPF object and its sources, and not the build tree or this kernel's
// minimal BTF (bpf-fallback/.npmignore).
import test from 'ava';
import os from 'node:os';
import { execa } from 'execa';
import { buildHelper, repoRoot } from './support/build.js';

test('the package holds the helper for this machine, its sources and no build tree', async (t) => {
  await buildHelper();
  const { stdout } = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot });
  const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
  t.true(files.includes(`bpf-fallback/bin/${os.machine()}/ebpf-process-helper`));
  t.true(files.includes(`bpf-fallback/bin/${os.machine()}/process.bpf.o`), 'install makes the minimal BTF from it');
  for (const source of ['Makefile', 'README.md', 'process.bpf.c', 'process.h', 'helper.c', 'attach.c', 'options.c', 'report.c']) {
    t.true(files.includes(`bpf-fallback/${source}`), source);
  }
  t.true(files.includes('dist/emit-c-sources.js'), "make generates the helper's limits.gen.h with it");
  t.false(files.some((file) => file.startsWith('bpf-fallback/.output/')));
  t.false(
    files.some((file) => file.includes('/btf/')),
    "the minimal BTF is for the packing machine's kernel only",
  );
});
