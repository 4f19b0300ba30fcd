// SPDX-License-Identifier: GPL-3.0-or-later
// File capabilities of the private helper copy, through libcap's setcap/getcap (package libcap2-bin).
import { execa } from 'execa';
import { InstallError } from './install-error.js';

/**
 * What the helper needs as the netdata user: CAP_BPF to create maps and load programs, CAP_PERFMON to
 * load tracing programs and attach them, CAP_DAC_READ_SEARCH to read tracepoint ids under tracefs,
 * which is root-only (0700). Nothing that writes files, changes uids or administers the system.
 */
export const helperCapabilities = ['cap_bpf', 'cap_perfmon', 'cap_dac_read_search'] as const;

export const setCapabilities = async (file: string, capabilities: readonly string[]): Promise<void> => {
  const result = await execa('setcap', [`${capabilities.join(',')}=ep`, file], { reject: false });
  if (result.failed) {
    throw new InstallError(
      'ebpf.install.setcap',
      `Could not give ${file} the capabilities ${capabilities.join(',')}: ${result.stderr || result.message}.` +
        ' Fix: install libcap2-bin (setcap) and keep the plugins directory on a filesystem with extended attributes.',
      { cause: result },
    );
  }
};

// getcap prints "/path cap_a,cap_b=ep" (libcap 2.2x+) or nothing when the file has no capabilities.
export const parseGetcap = (output: string): string[] => {
  const held = new Set<string>();
  for (const clause of output.trim().split(/\s+/).slice(1)) {
    const match = /^([a-z_,]+)([=+])([eip]*)$/.exec(clause);
    if (match?.[3]?.includes('e') && match[3].includes('p')) for (const name of (match[1] ?? '').split(',')) held.add(name);
  }
  return [...held].sort();
};

export const readCapabilities = async (file: string): Promise<string[]> => {
  const result = await execa('getcap', [file], { reject: false });
  return result.failed ? [] : parseGetcap(result.stdout);
};
