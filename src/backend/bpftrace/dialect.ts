// SPDX-License-Identifier: GPL-3.0-or-later
// What differs between bpftrace versions in the scripts we generate (facts: docs/bpftrace-versions.md).
import { parseBpftraceVersion } from '../../kernel/bpftrace-version.js';

export interface Dialect {
  readonly version: string;
  /** `kfunc`/`kretfunc` until 0.19; `fentry`/`fexit` from 0.20 (0.17 aborts on `fentry:`). */
  readonly fentry: 'kfunc' | 'fentry';
  readonly fexit: 'kretfunc' | 'fexit';
  /** `args->f` everywhere up to 0.18; `args.f` is the spelling from 0.19 on (`->` stays an alias). */
  readonly args: '->' | '.';
  /** Settings in a `config = { ... }` block (0.20-0.23); empty when the version has none to set. */
  readonly config: Readonly<Record<string, string>>;
  /** Settings as environment variables (0.24+ reads every config key as BPFTRACE_<KEY>). */
  readonly env: Readonly<Record<string, string>>;
  /** How a call count and the bytes of the same calls are kept, the cheaper per version (measured:
   *  docs/performance.md): `count+sum` is `@read = count()` and `@read_bytes = sum(n)`, two maps; `stats` is
   *  `@read = stats(n)`, one map whose count and total are both counters. */
  readonly countWithTotal: 'count+sum' | 'stats';
}

const atLeast = (version: readonly number[], minor: number): boolean => version[0]! > 0 || version[1]! >= minor;

export const dialectFor = (bpftraceVersion: string): Dialect => {
  const version = parseBpftraceVersion(bpftraceVersion);
  const config: Record<string, string> = {};
  // A probe that cannot attach must stop bpftrace, so the plan falls back instead of silently missing data.
  if (atLeast(version, 21) && !atLeast(version, 24)) config.missing_probes = '"error"';
  // The exit-time dump repeats totals we already have.
  if (atLeast(version, 22) && !atLeast(version, 24)) config.print_maps_on_exit = '0';
  return {
    version: version.join('.'),
    fentry: atLeast(version, 20) ? 'fentry' : 'kfunc',
    fexit: atLeast(version, 20) ? 'fexit' : 'kretfunc',
    args: atLeast(version, 19) ? '.' : '->',
    config,
    env: atLeast(version, 24) ? { BPFTRACE_PRINT_MAPS_ON_EXIT: '0' } : {},
    // Up to 0.23 count() keeps a scalar map in a per-CPU array (lookup inlined) and sum() in a per-CPU hash:
    // the pair costs one hash lookup on 0.23, while 0.17 builds stats() from two lookups and two updates.
    // From 0.24 every scalar map is a per-CPU hash, one lookup per map and call: stats() halves them.
    countWithTotal: atLeast(version, 24) ? 'stats' : 'count+sum',
  };
};
