// SPDX-License-Identifier: GPL-3.0-or-later
// Whether bpftrace finds the kernel BTF our scripts need: /sys/kernel/btf/vmlinux being there is not enough for
// every version (dialect.ts: kernelBtfById). One answer for check, dry-run, selftest and the plugin's fallback.
import { type KernelFacts, kernelAtLeast } from '../../kernel/facts.js';
import type { Dialect } from './dialect.js';

export interface MissingBtf {
  /** Why this bpftrace runs none of our scripts on this kernel. */
  readonly why: string;
  /** What would let it. */
  readonly fix: string;
}

/** Why bpftrace lacks the kernel BTF our scripts need here, and the fix; undefined when it has what it needs. */
export const missingKernelBtf = (facts: Pick<KernelFacts, 'btf' | 'release'>, dialect: Dialect): MissingBtf | undefined => {
  if (dialect.tracepointArgsNeedBtf && !facts.btf) {
    return {
      why: `bpftrace ${dialect.version} reads tracepoint arguments only from kernel BTF, which this kernel lacks`,
      fix: 'a kernel built with CONFIG_DEBUG_INFO_BTF=y, or a bpftrace before 0.25',
    };
  }
  // vmlinux has a BPF BTF id from Linux 5.11 (commit 5329722057d4).
  if (dialect.kernelBtfById && facts.btf && !kernelAtLeast(facts, '5.11')) {
    return {
      why:
        `bpftrace ${dialect.version} finds kernel BTF only by its BPF id, which kernels before 5.11 do not give it: ` +
        "it sees no BTF on this kernel, and our scripts' tracepoint fields (pid_t) do not compile without it",
      fix: 'bpftrace 0.18 or later (0.23 is exact on Debian 11), or the helper',
    };
  }
  return undefined;
};

/** The reason as check, dry-run, selftest and the plugin give it. */
export const missingBtfDetail = ({ why, fix }: MissingBtf): string => `${why} (fix: ${fix})`;
