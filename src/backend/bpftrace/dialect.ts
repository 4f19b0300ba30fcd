// SPDX-License-Identifier: GPL-3.0-or-later
// What differs between bpftrace versions in the scripts we generate (facts and how each was checked:
// docs/bpftrace-versions.md; 0.17, 0.23 and 0.27 are checked against the real builds by test/matrix/).
import { bpftraceMinor, parseVersion } from '../../kernel/version-number.js';
import { bpftraceRawRelease, type RawRelease } from '../../plan/release-hook.js';

export interface Dialect {
  readonly version: string;
  /** The bpftrace releases that get this very script text, e.g. "0.22-0.23" or "0.25 and later". */
  readonly runsOn: string;
  /** `kfunc`/`kretfunc` until 0.19; `fentry`/`fexit` from 0.20 (0.17 aborts on `fentry:`). */
  readonly fentry: 'kfunc' | 'fentry';
  readonly fexit: 'kretfunc' | 'fexit';
  /** `args->f` everywhere up to 0.18; `args.f` is the spelling from 0.19 on (`->` stays an alias). */
  readonly args: '->' | '.';
  /** 0.23 reports every failed map delete as a helper_error line, so the task filter's sets are only deleted
   *  from where the key exists (`has_key`, which 0.17 lacks; measured on the real 0.23.2: one line per clone(2)
   *  child otherwise). The stash needs no such guard: its value is read first anyway. */
  readonly guardedDelete: boolean;
  /** 0.25+ reads tracepoint `args` from the kernel's BTF only: without BTF no script of ours compiles. */
  readonly tracepointArgsNeedBtf: boolean;
  /** Up to 0.17 bpftrace looks for the kernel's BTF only among BPF's BTF objects (BPF_BTF_GET_NEXT_ID), where a
   *  kernel before 5.11 does not list vmlinux: there it sees no BTF (`bpftrace --info`: btf: no), so no kfunc, and
   *  a tracepoint's `pid_t` fields fail to compile (measured with 0.17 on Debian 11's 5.10; 0.23 reads
   *  /sys/kernel/btf/vmlinux there; 0.18-0.22 not measured: bpftrace's fix for 5.10, PR 2582, is in 0.18). */
  readonly kernelBtfById: boolean;
  /** Up to 0.24 bpftrace runs only as root; 0.25+ checks for CAP_BPF, CAP_PERFMON, CAP_DAC_READ_SEARCH and
   *  CAP_DAC_OVERRIDE instead (measured with 0.23.2 and 0.27.1). */
  readonly capabilityCheck: boolean;
  /** Settings in a `config = { ... }` block (0.21-0.23); empty when the version has none to set. */
  readonly config: Readonly<Record<string, string>>;
  /** Settings as environment variables (0.24+ reads every config key as BPFTRACE_<KEY>). */
  readonly env: Readonly<Record<string, string>>;
  /** How a call count and the bytes of the same calls are kept, the cheaper per version (measured:
   *  docs/performance-history.md, run of 2026-11-29): `count+sum` is `@read = count()` and
   *  `@read_bytes = sum(n)`, two maps; `stats` is `@read = stats(n)`, one map whose count and total are both
   *  counters. */
  readonly countWithTotal: 'count+sum' | 'stats';
  /** The environment variable that bounds the keys of a map (the per-cgroup and per-name tables):
   *  BPFTRACE_MAP_KEYS_MAX up to 0.20, BPFTRACE_MAX_MAP_KEYS from 0.21 (read in 0.17 and 0.23's --help). */
  readonly mapKeysEnv: 'BPFTRACE_MAP_KEYS_MAX' | 'BPFTRACE_MAX_MAP_KEYS';
  /** Whether a map update that finds the map full is reported (a `helper_error` line, map_update_elem -7) only under
   *  `-k`: 0.17 says nothing without it; 0.23 and 0.27 report it always (measured on the real builds; 0.18-0.22 not
   *  checked, run with -k). The generated script counts a full key table's events from those lines. */
  readonly mapFullNeedsK: boolean;
  /** Whether the release is hooked `rawtracepoint:EVENT` (src/plan/release-hook.ts). */
  readonly rawRelease: RawRelease;
}

// The minor versions at which a rule below changes (all of them 0.x): a script is the same from one to the next.
const changesAt = [19, 20, 21, 22, 23, 24, 25] as const;

const runsOn = (minor: number): string => {
  const from = [...changesAt].reverse().find((change) => change <= minor);
  const until = changesAt.find((change) => change > minor);
  if (until === undefined) return `0.${from} and later`;
  if (from === undefined) return `up to 0.${until - 1}`;
  return until - 1 === from ? `0.${from}` : `0.${from}-0.${until - 1}`;
};

// Config values go into the script verbatim: only integer literals and quoted lowercase words are legal
// there in every version with a config block. 0.23 refuses `false` and `"false"` alike ("must be literal").
const literal = /^(\d+|"[a-z_]+")$/;

const settings = (entries: Record<string, string>): Readonly<Record<string, string>> => {
  for (const [key, value] of Object.entries(entries)) {
    if (!literal.test(value)) throw new Error(`bpftrace config ${key} = ${value}: not an integer or a quoted word`);
  }
  return entries;
};

export const dialectFor = (bpftraceVersion: string): Dialect => {
  const version = parseVersion(bpftraceVersion);
  const minor = bpftraceMinor(bpftraceVersion);
  const config: Record<string, string> = {};
  // A probe that cannot attach must stop bpftrace, so the plan falls back instead of silently missing data
  // (0.21-0.23 only warn by default; 0.24 made it fatal by default).
  if (minor >= 21 && minor < 24) config.missing_probes = '"error"';
  // The exit-time dump repeats totals we already have (the key exists from 0.22; 0.24+ reads it from the env).
  if (minor >= 22 && minor < 24) config.print_maps_on_exit = '0';
  return {
    version: version.join('.'),
    runsOn: runsOn(minor),
    fentry: minor >= 20 ? 'fentry' : 'kfunc',
    fexit: minor >= 20 ? 'fexit' : 'kretfunc',
    args: minor >= 19 ? '.' : '->',
    guardedDelete: minor >= 23,
    tracepointArgsNeedBtf: minor >= 25,
    kernelBtfById: minor < 18,
    capabilityCheck: minor >= 25,
    config: settings(config),
    env: minor >= 24 ? { BPFTRACE_PRINT_MAPS_ON_EXIT: '0' } : {},
    // Up to 0.23 count() keeps a scalar map in a per-CPU array (lookup inlined) and sum() in a per-CPU hash:
    // the pair costs one hash lookup on 0.23, while 0.17 builds stats() from two lookups and two updates.
    // From 0.24 every scalar map is a per-CPU hash, one lookup per map and call: stats() halves them.
    countWithTotal: minor >= 24 ? 'stats' : 'count+sum',
    mapKeysEnv: minor >= 21 ? 'BPFTRACE_MAX_MAP_KEYS' : 'BPFTRACE_MAP_KEYS_MAX',
    mapFullNeedsK: minor < 23,
    rawRelease: bpftraceRawRelease(minor),
  };
};

/** One line for `check`, `dry-run` and people: the version, the releases its script runs on, and its spellings. */
export const describeDialect = (dialect: Dialect): string => {
  const config = Object.entries(dialect.config).map(([key, value]) => `${key} = ${value}`);
  const env = Object.entries(dialect.env).map(([key, value]) => `${key}=${value}`);
  return [
    `script dialect of bpftrace ${dialect.runsOn}: ${dialect.fentry}:/${dialect.fexit}:, args${dialect.args}field`,
    config.length ? `config block { ${config.join('; ')} }` : undefined,
    env.length ? `environment ${env.join(' ')}` : undefined,
    dialect.tracepointArgsNeedBtf ? 'tracepoint args need kernel BTF' : undefined,
    dialect.rawRelease.raw
      ? dialect.rawRelease.findsStub
        ? 'releases hooked raw with kernel BTF where the kernel hides available_filter_functions (the plugin names ' +
          '__probestub_sched_process_free with --traceable-functions), else as a perf tracepoint (auto then takes release_task)'
        : 'releases hooked raw (with kernel BTF)'
      : `sched_process_free only as a perf tracepoint (${dialect.rawRelease.why}: the kernel skips some under load, so auto ` +
        'takes release_task where the kernel has it)',
  ]
    .filter(Boolean)
    .join(', ');
};

/** `delete(@map[key]);`, checked for presence first where a failed delete is reported (guardedDelete). */
export const deleteStatement = (dialect: Dialect, map: string, key: string): string =>
  dialect.guardedDelete ? `if (has_key(${map}, ${key})) { delete(${map}[${key}]); }` : `delete(${map}[${key}]);`;
