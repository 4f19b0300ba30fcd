// SPDX-License-Identifier: GPL-3.0-or-later
// Locate bpftrace and read its version.
import { execa } from 'execa';

export const findBpftrace = async (configured?: string): Promise<{ path: string; version: string } | null> => {
  const path = configured ?? (await execa('sh', ['-c', 'command -v bpftrace'], { reject: false })).stdout.trim();
  if (!path) return null;
  const result = await execa(path, ['--version'], { reject: false, timeout: 10_000 });
  const version = /v?(\d+\.\d+\.\d+)/.exec(`${result.stdout} ${result.stderr}`)?.[1];
  return version ? { path, version } : null;
};

/** "0.17.0" -> [0, 17, 0]; unparsable counts as newest, as PCP's bpftrace agent does. */
export const parseBpftraceVersion = (version: string): [number, number, number] => {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [999, 0, 0];
};
