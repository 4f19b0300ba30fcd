// SPDX-License-Identifier: GPL-3.0-or-later
// Whether this process may load BPF programs: root, or CAP_BPF with CAP_PERFMON (or CAP_SYS_ADMIN).
import { readFile } from 'node:fs/promises';

const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

const hasCap = (mask: bigint, cap: bigint): boolean => ((mask >> cap) & 1n) === 1n;

export const effectiveCapabilities = async (): Promise<bigint> => {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex ? BigInt(`0x${hex}`) : 0n;
};

export const readPrivileges = async (): Promise<{ uid: number; canLoadBpf: boolean }> => {
  const caps = await effectiveCapabilities();
  const canLoadBpf = hasCap(caps, CAP_SYS_ADMIN) || (hasCap(caps, CAP_BPF) && hasCap(caps, CAP_PERFMON));
  return { uid: process.geteuid?.() ?? -1, canLoadBpf };
};
