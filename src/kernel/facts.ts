// SPDX-License-Identifier: GPL-3.0-or-later
// What the planner knows about a host: one serializable snapshot, gathered live or loaded from a file.
import { z } from 'zod';
import { compareVersions, parseVersion } from './version-number.js';

export const lockdownModes = ['none', 'integrity', 'confidentiality', 'unknown'] as const;
/** Whether an fentry program loads and attaches here, as the helper's `--probe` found; unknown when not probed. */
export const trampolineStates = ['usable', 'refused', 'unknown'] as const;

// Facts may come from a file (--facts) and their names end up in generated scripts and their comments:
// only the characters real kernels use are accepted, so nothing in a facts file can become bpftrace code.
const plainWord = /^[A-Za-z0-9._+~-]{1,128}$/;
const absolutePath = /^\/[A-Za-z0-9_./+-]{0,4095}$/;
export const tracepointSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,64}:[A-Za-z0-9_]{1,128}$/, 'a tracepoint as subsystem:event (letters, digits, _)');

export const kernelFactsSchema = z.object({
  /** `uname -r`, e.g. "6.18.44-fc-v657". */
  release: z.string().regex(plainWord, 'a kernel release of letters, digits and . _ + ~ -'),
  /** `uname -m`, e.g. "x86_64", "aarch64". */
  arch: z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'an architecture name such as x86_64'),
  /** Free text saying where the facts came from (host name, or the documents a fixture was built from). */
  source: z.string().default('live host'),
  /** kprobes are usable: `/sys/bus/event_source/devices/kprobe` exists (CONFIG_KPROBES). */
  kprobes: z.boolean(),
  /** Kernel BTF at /sys/kernel/btf/vmlinux. */
  btf: z.boolean(),
  /** bpftrace's fentry/kfunc support needs a readable `available_filter_functions`. */
  filterFunctionsReadable: z.boolean(),
  lockdown: z.enum(lockdownModes),
  /** Mount point of tracefs, or null when it is not mounted. */
  tracefs: z.string().regex(absolutePath, 'an absolute path').nullable(),
  debugfs: z.boolean(),
  /** The kernel functions of interest that /proc/kallsyms lists. */
  symbols: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,127}$/, 'a kernel symbol name (letters, digits, _ .)')),
  /** The tracepoints of interest present under tracefs, as "subsystem:event". */
  tracepoints: z.array(tracepointSchema),
  /** bpftrace on PATH (or configured), with its `--version`, or null. */
  bpftrace: z
    .object({ path: z.string().regex(absolutePath, 'an absolute path'), version: z.string().regex(plainWord, 'a version such as 0.17.0') })
    .nullable(),
  /** fentry/fexit load and attach (the helper's `--probe`); older fact files have none: unknown. */
  trampoline: z.enum(trampolineStates).default('unknown'),
  /** The helper's slot cache loads here (task local storage, 5.11; its `--probe`); absent: not probed. */
  taskStorage: z.boolean().optional(),
  /**
   * Effective uid, and whether the process holds what loading BPF needs (root, or CAP_BPF+CAP_PERFMON).
   * `helper`: what the helper's `--probe` found it can do (it may hold file capabilities this process lacks).
   */
  privileges: z.object({
    uid: z.number().int(),
    canLoadBpf: z.boolean(),
    helper: z
      .object({ path: z.string().regex(absolutePath, 'an absolute path'), uid: z.number().int().min(0), canLoadBpf: z.boolean() })
      .optional(),
  }),
  /** Where facts came from when not from this process's own reading (recorded fixtures, the helper's probe), by fact name. */
  notes: z.record(z.string(), z.string()).optional(),
});

export type KernelFacts = z.infer<typeof kernelFactsSchema>;

export const kernelAtLeast = (facts: Pick<KernelFacts, 'release'>, version: string): boolean =>
  compareVersions(parseVersion(facts.release), parseVersion(version)) >= 0;
