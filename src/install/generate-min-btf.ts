// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the minimal BTF of the running kernel for a helper: `bpftool gen min_core_btf` keeps only the types
// the helper's BPF object relocates, so the helper need not read the kernel's whole BTF (see min-btf.ts).
import { execa } from 'execa';
import { access, chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { basename, join } from 'node:path';
import { kernelBtfFile, minBtfDir, minBtfPath, runningKernel } from '../backend/helper/min-btf.js';
import { placeFile, type InstallStep } from './file-ops.js';

const what = 'minimal BTF of this kernel for the helper';
const withoutIt = "the helper reads the kernel's whole BTF instead (about 11 MiB more peak memory; counts are the same)";

// Files for other kernels, or made from an older object, must not outlive the one this run writes (or fails to).
const removeOthers = async (dir: string, keep?: string): Promise<void> => {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.endsWith('.btf') && name !== keep).map((name) => rm(join(dir, name), { force: true })));
};

const skipped = async (dir: string, path: string, reason: string): Promise<InstallStep> => {
  await removeOthers(dir);
  return { action: 'skipped', path, what: `${what} not written: ${reason}; ${withoutIt}` };
};

/**
 * Writes `<helper dir>/btf/<key>.btf` from `bpfObject` (the object the helper embeds), atomically, mode 0644,
 * owned by whoever runs this (root in install). Never throws for a missing or failing bpftool: it says so.
 */
export const generateMinBtf = async (helperFile: string, bpfObject: string): Promise<InstallStep> => {
  const dir = minBtfDir(helperFile);
  const kernel = await runningKernel().catch(() => undefined);
  if (!kernel) return skipped(dir, dir, `${kernelBtfFile} is missing`);
  const target = minBtfPath(helperFile, kernel);
  if (
    !(await access(bpfObject, constants.R_OK).then(
      () => true,
      () => false,
    ))
  ) {
    return skipped(dir, target, `${bpfObject} is missing. Fix: make -C bpf-fallback (it places the object beside the helper)`);
  }
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  // bpftool writes its output itself: into a private directory, so no one can plant or read a predictable name.
  const work = await mkdtemp(join(dir, '.bpftool.'));
  try {
    const output = join(work, basename(target));
    const result = await execa('bpftool', ['gen', 'min_core_btf', kernelBtfFile, output, bpfObject], { reject: false });
    if (result.failed) {
      const cause =
        (result as { code?: string }).code === 'ENOENT'
          ? 'bpftool is not installed'
          : `bpftool gen min_core_btf failed: ${String(result.stderr || result.message).trim()}`;
      return skipped(dir, target, `${cause}. Fix: apt install bpftool (linux-tools-common on Ubuntu), then run this again`);
    }
    const step = await placeFile(
      target,
      await readFile(output),
      { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0, mode: 0o644 },
      what,
    );
    await removeOthers(dir, basename(target));
    return step;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};
