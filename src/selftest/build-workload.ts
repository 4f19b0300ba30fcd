// SPDX-License-Identifier: GPL-3.0-or-later
// Compile the selftest workload (selftest/workload.c, shipped with the package) into a private directory. It is
// built at run time because it must match the host's libc and kernel headers.
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa, ExecaError } from 'execa';
import { packageFile } from '../package-root.js';
import { SelftestError } from './selftest-error.js';

export const workloadSource = packageFile('selftest', 'workload.c');

export interface BuiltWorkload {
  readonly binary: string;
  /** The private directory (mode 0700) holding the binary; pass it to the workload as --dir. */
  readonly dir: string;
  /** Delete the directory and everything in it. */
  readonly remove: () => Promise<void>;
}

export interface BuildOptions {
  /** The C compiler; default `cc`. */
  readonly cc?: string;
  readonly source?: string;
}

const installHint =
  'Install a C compiler and the C library headers: `apt-get install gcc libc6-dev` (Debian, Ubuntu), ' +
  '`dnf install gcc glibc-devel` (Fedora, RHEL).';

const explainFailure = (error: unknown, cc: string, source: string): SelftestError => {
  if (error instanceof ExecaError && error.code === 'ENOENT') {
    return new SelftestError(
      'ebpf.selftest.no-compiler',
      `selftest builds its workload with \`${cc}\`, which is not on PATH. ${installHint}`,
      { cause: error },
    );
  }
  const stderr = error instanceof ExecaError ? String(error.stderr ?? '').trim() : String(error);
  const missingHeader = /fatal error: .*\.h: No such file or directory/.test(stderr);
  return new SelftestError(
    'ebpf.selftest.build-failed',
    `Compiling ${source} with \`${cc}\` failed${missingHeader ? ' (C library headers are missing)' : ''}:\n${stderr}\n${installHint}`,
    { cause: error },
  );
};

export const buildWorkload = async (options: BuildOptions = {}): Promise<BuiltWorkload> => {
  const cc = options.cc ?? 'cc';
  const source = options.source ?? workloadSource;
  await access(source).catch((error: unknown) => {
    throw new SelftestError(
      'ebpf.selftest.build-failed',
      `The workload source ${source} is missing: the package is incomplete, reinstall ebpf-process.`,
      { cause: error },
    );
  });
  // mkdtemp creates the directory with mode 0700 under an unpredictable name.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-process-selftest-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const binary = path.join(dir, 'workload');
  try {
    await execa(cc, ['-O2', '-Wall', '-pthread', '-o', binary, source]);
  } catch (error) {
    await remove();
    throw explainFailure(error, cc, source);
  }
  return { binary, dir, remove };
};
