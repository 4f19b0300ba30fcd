// SPDX-License-Identifier: GPL-3.0-or-later
// What one run of scripts/kernel-matrix.sh left under $EBPF_PROCESS_KERNEL_CACHE/results/<suite>/, read into the
// record docs/kernel-matrix.json keeps (matrix-table.ts renders it; kernel-matrix.test.ts judges a fresh run).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exactButSkipped } from '../helpers/selftest-result.js';

const kernelCache = process.env.EBPF_PROCESS_KERNEL_CACHE ?? '/var/cache/ebpf-process/kernels';
/** Where scripts/kernel-matrix.sh leaves each suite's results (the same variables, the same defaults). */
export const resultsRoot = process.env.EBPF_PROCESS_KERNEL_RESULTS ?? path.join(kernelCache, 'results');
export const suites = ['bullseye', 'bookworm', 'trixie', 'sid'] as const;
/** The suites booted for this run: $EBPF_PROCESS_KERNEL_SUITES (scripts/test.sh passes it on: all four unless it names fewer). */
export const suitesRun = (process.env.EBPF_PROCESS_KERNEL_SUITES ?? '').split(/\s+/).filter(Boolean);
export const probeTypes = ['trampoline', 'probe', 'tracepoint', 'auto'] as const;
export const modes = ['entry', 'return'] as const;

export interface Cell {
  /** `<backend>_<probe type>_<mode>[_who]`, as scripts/kernel-guest.sh names its output. */
  readonly id: string;
  readonly backend: string;
  readonly probeType: string;
  readonly mode: string;
  readonly who: boolean;
  readonly exact: boolean;
  /** The attach kinds the run's table lists (fentry, kprobe, tracepoint, ...): what the plan really used. */
  readonly kinds: readonly string[];
  /** selftest's Result line, or what ended the cell without one. */
  readonly result: string;
  /** A cell that was not exact: all it printed (selftest's stderr with the backend's), for the test's message. */
  readonly output?: string;
  /** Not run: its plan is the one of this cell, whose result it shares. */
  readonly sameAs?: string;
  /** Not run: selftest refused the backend on this kernel, for this reason (kernel-matrix.test.ts accepts only a
   *  reason the kernel's own facts give). */
  readonly refused?: string;
  /** Run, and short only of runs the kernel skipped, as selftest said (SKIPPED): the rows, and its note, the
   *  kernel's count or, before 6.7 on a perf tracepoint, its reason. */
  readonly kernelSkipped?: string;
}

export interface KernelRun {
  readonly suite: string;
  readonly release?: string;
  /** Why the kernel has no cells: it could not be fetched, booted, or its guest hung. */
  readonly failed?: string;
  readonly seconds?: number;
  readonly cells: readonly Cell[];
}

const rowPattern = /^\w+ +\d+ +\d+ +(?:ok|MISMATCH|BELOW|ABOVE|SKIPPED) +(\S.*)$/;
const kindsIn = (text: string): string[] =>
  [
    ...new Set(
      text.split('\n').flatMap((line) => {
        const points = rowPattern.exec(line)?.[1];
        return points ? points.split(', ').map((point) => point.split(':')[0]!) : [];
      }),
    ),
  ].sort();

const parseId = (id: string) => {
  const [backend = '', probeType = '', mode = '', who] = id.split('_');
  return { backend, probeType, mode, who: who === 'who' };
};

// What ended a cell: selftest's error and the backend's first stderr line after it, where bpftrace states the cause
// (what follows is context; the whole output stays in the cell's `output`).
const firstLines = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 2)
    .join(' ');

// selftest's words when the backend asked for cannot run here (src/selftest/selftest-backend.ts).
const refusal = /^ebpf-process: --backend \w+ cannot run here: (.*) \(selftest tests the backend asked for, never another\)$/m;

// selftest's words for a run short only of runs the kernel skipped (src/cli/selftest-text.ts): each SKIPPED row of the
// host's table, and the note that ends its notes, the kernel's count or, where it keeps none, its reason.
const skippedRow = /^(\w+) +(\d+) +(\d+) +SKIPPED /;

const kernelSkippedIn = (text: string, result: string): string => {
  const lines = text.split('\n');
  const rows = lines.flatMap((line, index) => {
    const row = skippedRow.exec(line);
    if (!row) return [];
    const following = lines.slice(index + 1);
    const end = following.findIndex((next) => !next.trim().startsWith('note: '));
    const note = following
      .slice(0, end < 0 ? following.length : end)
      .at(-1)
      ?.trim()
      .slice('note: '.length);
    return [{ row: `${row[1]} ${row[3]} of ${row[2]}`, note }];
  });
  // Only a key's row short: the result line says it all.
  if (!rows.length) return result;
  return `${rows.map(({ row }) => row).join(', ')}: ${rows[0]!.note ?? 'no note'}`;
};

const readCell = (dir: string, id: string, rc: string): Cell => {
  const text = readFileSync(path.join(dir, 'cells', `${id}.txt`), 'utf8');
  const { backend } = parseId(id);
  // selftest's heading names the backend it tested: a cell is about that backend or about nothing.
  const tested = /^selftest: .*, backend (\w+),/m.exec(text)?.[1];
  const result =
    (tested && tested !== backend.split('-')[0] ? `selftest tested the ${tested} backend, not ${backend}` : undefined) ??
    /^Result: .*$/m.exec(text)?.[0] ??
    (rc === '124' || rc === '137' ? 'timed out' : `no Result line (exit ${rc}): ${firstLines(text)}`);
  const passed = rc === '0' && result.startsWith('Result: every counter equals');
  const kernelSkipped = passed && exactButSkipped.test(result) ? kernelSkippedIn(text, result) : undefined;
  const exact = passed && !kernelSkipped;
  const refused = refusal.exec(text)?.[1];
  return {
    id,
    ...parseId(id),
    exact,
    kinds: kindsIn(text),
    result,
    ...(exact ? {} : { output: text.trim() }),
    ...(refused && !exact ? { refused } : {}),
    ...(kernelSkipped ? { kernelSkipped } : {}),
  };
};

const optional = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);

export const readKernelRun = (suite: string, resultsDir = path.join(resultsRoot, suite)): KernelRun => {
  if (!existsSync(resultsDir)) return { suite, failed: `no results in ${resultsDir}: run scripts/kernel-matrix.sh`, cells: [] };
  const seconds = optional(path.join(resultsDir, 'seconds'));
  const lines = (optional(path.join(resultsDir, 'cells.tsv')) ?? '').split('\n').filter(Boolean);
  const release = optional(path.join(resultsDir, 'release'));
  return {
    suite,
    release,
    failed: optional(path.join(resultsDir, 'failed')),
    seconds: seconds === undefined ? undefined : Number(seconds),
    cells: lines
      .map((line) => line.split('\t'))
      .map(([id = '', rc = ''], _, all) => {
        const twin = /^same:(\S+)$/.exec(rc)?.[1];
        if (!twin) return readCell(resultsDir, id, rc);
        const [, twinRc = ''] = all.find(([other]) => other === twin) ?? [];
        return { ...readCell(resultsDir, twin, twinRc), ...parseId(id), id, sameAs: twin };
      }),
  };
};

export const readMatrixRun = (): KernelRun[] => suites.filter((suite) => suitesRun.includes(suite)).map((suite) => readKernelRun(suite));

/** The kernel's facts as the guest's `check --json` printed them, when it finished (a hung guest leaves none). */
export const realFacts = (suite: string): unknown => {
  const text = optional(path.join(resultsRoot, suite, 'check.json'));
  return text ? JSON.parse(text) : undefined;
};
