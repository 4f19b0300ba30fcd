// SPDX-License-Identifier: GPL-3.0-or-later
// The real bpftrace builds the suite runs: the host's (Debian 12) and the ones scripts/bpftrace-matrix.sh puts in
// minimal Debian chroots. A missing build fails its tests (the matrix must be proven, not skipped).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { dialectFor } from '../../src/backend/bpftrace/dialect.js';
import { parseVersion } from '../../src/kernel/version-number.js';

export const matrixCache = process.env.EBPF_PROCESS_BPFTRACE_CACHE ?? '/var/cache/ebpf-process/bpftrace';

export interface BpftraceBuild {
  /** Debian suite it comes from. */
  readonly suite: 'bookworm' | 'trixie' | 'sid';
  /** The version this suite shipped when the goldens and fixtures were recorded. */
  readonly version: string;
  readonly path: string;
}

export const bpftraceBuilds: readonly BpftraceBuild[] = [
  { suite: 'bookworm', version: '0.17.0', path: '/usr/bin/bpftrace' },
  { suite: 'trixie', version: '0.23.2', path: path.join(matrixCache, 'trixie', 'bpftrace') },
  { suite: 'sid', version: '0.27.1', path: path.join(matrixCache, 'sid', 'bpftrace') },
];

export const buildName = (build: BpftraceBuild): string => `bpftrace ${build.version} (${build.suite})`;

/** Why the build cannot be used, or undefined. */
export const buildProblem = async (build: BpftraceBuild): Promise<string | undefined> => {
  const stamp = path.join(path.dirname(build.path), 'ready');
  if (build.suite !== 'bookworm' && !existsSync(stamp)) {
    const log = path.join(path.dirname(build.path), 'debootstrap.log');
    return `${buildName(build)} is not built: run \`bash scripts/bpftrace-matrix.sh\` as root${existsSync(log) ? `; its log: ${log}` : ''}`;
  }
  const found = /v?(\d+\.\d+\.\d+)/.exec((await execa(build.path, ['--version'], { reject: false })).stdout)?.[1];
  if (!found) return `${build.path} --version printed no version`;
  // sid moves on: a new release must be looked at (dialect, goldens, fixtures), not tested as if it were the old one.
  if (found !== build.version) {
    return (
      `${build.suite} now ships bpftrace ${found}, not the ${build.version} the goldens and fixtures were checked with: ` +
      'update test/helpers/bpftrace-builds.ts, run test/fixtures/bpftrace-output/record.sh with it and review the diff'
    );
  }
  return undefined;
};

/** The build whose dialect a script was generated for, if the matrix has one. */
export const buildForDialect = (version: string): BpftraceBuild | undefined =>
  bpftraceBuilds.find((build) => dialectFor(build.version).runsOn === dialectFor(version).runsOn);

export const minorOf = (build: BpftraceBuild): number => parseVersion(build.version)[1];

/** Kernel functions a script attaches kprobes or fentry to, and the stub 0.27 looks a raw tracepoint up by
 *  (`__probestub_EVENT`, which available_filter_functions lists from kernel 6.4 on). */
const kernelFunctions = (script: string): string[] => [
  ...new Set([
    ...[...script.matchAll(/^(?:kprobe|kretprobe|kfunc|kretfunc|fentry|fexit):(\w+)/gm)].map((match) => match[1]!),
    ...[...script.matchAll(/^rawtracepoint:(\w+)/gm)].map((match) => `__probestub_${match[1]!}`),
  ]),
];

/**
 * Compile a script without attaching it. Up to 0.23 `--emit-elf` stops after code generation; 0.27's writes the
 * ELF and then runs the script (measured), so there `--mode codegen`. 0.27 also checks kprobe targets against
 * available_filter_functions, which this kernel does not let root read: the script's own functions are handed
 * over with `--traceable-functions` (on stdin, since the chroot cannot see the host's /tmp).
 */
export const compileOnly = (build: BpftraceBuild, script: string) => {
  if (minorOf(build) < 27) return execa(build.path, ['--emit-elf', '/dev/null', '-'], { input: script, reject: false });
  // Through a shell pipe: bpftrace opens /dev/stdin by name, which fails on the socket Node gives a child.
  return execa(
    'sh',
    [
      '-c',
      'printf "%s\\n" "$@" | "$0" --traceable-functions /dev/stdin --mode codegen -e "$SCRIPT"',
      build.path,
      ...kernelFunctions(script),
    ],
    { env: { SCRIPT: script }, reject: false },
  );
};

/** A config file for the plugin and selftest that points `bpftrace path` at the build. */
export const configFor = (build: BpftraceBuild): string => `[global]\n  backend = bpftrace\n  bpftrace path = ${build.path}\n`;
