// SPDX-License-Identifier: GPL-3.0-or-later
// The minimal BTF beside a helper (`<helper dir>/btf/<key>.btf`) and the one formula for its key. A
// minimal BTF from another kernel would relocate field reads to wrong offsets, so the helper gets
// `--btf` only for a file whose key is the running kernel's.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { failure, success, type Outcome } from '../../outcome.js';
import { untrustedReason } from '../trusted-binary.js';

export const kernelBtfFile = '/sys/kernel/btf/vmlinux';

/** What names the running kernel's BTF: its release, its build (uname -v) and the size of its BTF. */
export interface KernelIdentity {
  readonly release: string;
  readonly version: string;
  readonly btfSize: number;
}

/**
 * Reading the kernel BTF whole to hash it would cost what the minimal BTF saves, at every start.
 * Release and uname -v (build number, date) change with every kernel build; the BTF size catches a
 * rebuild that kept both strings (e.g. a fixed KBUILD_BUILD_TIMESTAMP) but changed types.
 */
export const runningKernel = async (): Promise<KernelIdentity> => ({
  release: os.release(),
  version: os.version(),
  btfSize: (await stat(kernelBtfFile)).size,
});

/** The file name part: the release for people to read, a hash of all three for the match. */
export const minBtfKey = ({ release, version, btfSize }: KernelIdentity): string => {
  const hash = createHash('sha256')
    .update(JSON.stringify([release, version, btfSize]))
    .digest('hex')
    .slice(0, 16);
  return `${release.replace(/[^\w.+-]/g, '_')}-${hash}`;
};

export const minBtfDir = (helperFile: string): string => path.join(path.dirname(helperFile), 'btf');

export const minBtfPath = (helperFile: string, kernel: KernelIdentity): string =>
  path.join(minBtfDir(helperFile), `${minBtfKey(kernel)}.btf`);

/** The minimal BTF for `helperFile` on this kernel, when one exists that others cannot have written. */
export const findMinBtf = async (helperFile: string, kernel?: KernelIdentity): Promise<Outcome<string>> => {
  const identity = kernel ?? (await runningKernel().catch(() => undefined));
  if (!identity) return failure(`${kernelBtfFile} is missing: the kernel has no BTF`);
  const file = minBtfPath(helperFile, identity);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return failure(`no minimal BTF for kernel ${identity.release} (${file})`);
  const refused = await untrustedReason(file);
  return refused ? failure(refused) : success(file);
};
