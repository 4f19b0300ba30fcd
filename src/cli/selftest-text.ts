// SPDX-License-Identifier: GPL-3.0-or-later
// What `selftest` prints: a heading, a table of the host's counters, one per key asked for, and the result line.
// The tables' column widths and verdict words are what test/cli, test/selftest and test/kernels read.
import { skippedNote, type KernelSkips } from '../selftest/recursion-misses.js';
import type { HostRow, SelftestResult } from '../selftest/run-selftest.js';
import type { KeyedTable } from '../selftest/who-run.js';

const counterCell = (counter: string): string => counter.padEnd(14);
const noteLine = (indent: number, note: string): string => `${''.padEnd(indent)}note: ${note}`;

const heading = ({ ran }: SelftestResult): string[] => [
  `selftest: ${ran.rounds} rounds, mode ${ran.mode}, backend ${ran.backend.backend}, kernel ${ran.kernel}` +
    `${ran.systemWide ? ', system-wide' : ''}${ran.who?.cgroups ? ', per cgroup' : ''}${ran.who?.apps ? ', per command name' : ''}`,
  ran.backend.detail,
  '',
];

// The verdict column's words, each as wide as the filtered table has always printed it.
const filteredVerdict: Record<HostRow['verdict'], string> = {
  ok: 'ok     ',
  SKIPPED: 'SKIPPED ',
  MISMATCH: 'MISMATCH',
  BELOW: 'BELOW',
  ABOVE: 'ABOVE',
};

const filteredTable = (result: SelftestResult): string[] => [
  `${counterCell('counter')} ${'expected'.padStart(9)} ${'counted'.padStart(9)}  verdict  attach points`,
  ...result.host.flatMap((row) => [
    `${counterCell(row.counter)} ${String(row.expected).padStart(9)} ` +
      `${String(row.counted).padStart(9)}  ${filteredVerdict[row.verdict]} ${row.attachPoints.join(', ')}`,
    ...[...row.notes, ...(row.verdict === 'SKIPPED' ? [skippedNote(result.skips)] : [])].map((note) => noteLine(44, note)),
  ]),
];

const systemWideTable = (result: SelftestResult): string[] => [
  `unfiltered: the window of ${result.intervals} interval(s) holds the workload and the rest of the host; the allowance is ` +
    `twice the busiest of ${2 * result.backgroundIntervals} background intervals around it (at least one call), per interval of the window`,
  '',
  `${counterCell('counter')} ${'expected'.padStart(9)} ${'counted'.padStart(11)} ` +
    `${'excess'.padStart(11)} ${'allowance'.padStart(11)}  verdict  attach points`,
  ...result.host.flatMap((row) => [
    `${counterCell(row.counter)} ${String(row.expected).padStart(9)} ${String(row.counted).padStart(11)} ` +
      `${String(row.excess).padStart(11)} ${String(row.allowance).padStart(11)} ` +
      ` ${row.verdict.padEnd(7)}  ${row.attachPoints.join(', ')}`,
    ...(row.verdict === 'SKIPPED' ? [noteLine(60, skippedNote(result.skips))] : []),
  ]),
];

const keyedIntro = ({ subject, valuesCounted }: KeyedTable): string =>
  subject.key === 'cgroup'
    ? `per cgroup: the workload ran in ${subject.path} (id ${subject.id}), made for this run; ${valuesCounted} cgroup(s) counted`
    : `per command name: the workload runs as ${JSON.stringify(subject.comm)}, in group \`${subject.group}\` of ` +
      `${subject.groupsFile ?? 'no apps_groups.conf'}; ${valuesCounted} command name(s) counted`;

const keyedTable = (table: KeyedTable, skips: KernelSkips): string[] => {
  const { key } = table.subject;
  const headings = ['expected', ...table.headings, `all ${key}s`, 'host'];
  const widths = headings.map((each) => Math.max(each.length, 9));
  const cells = (values: readonly unknown[]): string => values.map((value, index) => String(value).padStart(widths[index]!)).join(' ');
  return [
    '',
    keyedIntro(table),
    `${counterCell('counter')} ${cells(headings)}  verdict`,
    ...table.rows.flatMap((row) => {
      if (row.unkeptAt) {
        return [
          `${counterCell(row.counter)} ${cells([row.expected, ...table.headings.map(() => '-'), '-', row.host])}  ` +
            `not kept per ${key} on this attach point (${row.unkeptAt.join(', ')})`,
        ];
      }
      return [
        `${counterCell(row.counter)} ${cells([row.expected, ...row.own, row.allValues, row.host])}  ` +
          `${row.verdict === 'SKIPPED' ? 'SKIPPED ' : row.verdict}`,
        ...(row.addsUp ? [] : [noteLine(15, `the ${key}s add up to ${row.allValues}, the host counted ${row.host} in the same window`)]),
        ...(row.kernelSkipped ? [noteLine(15, skippedNote(skips))] : []),
      ];
    }),
  ];
};

const butUnkept = (table: KeyedTable): string =>
  table.unkept.length ? ` (but ${table.unkept.join(', ')}, not kept per ${table.subject.key} here)` : '';

/** What was compared besides the host, when more was (--cgroups, --apps). */
const checkedText = (tables: readonly KeyedTable[]): string | undefined => {
  if (!tables.length) return undefined;
  const checked = tables.map((table) =>
    table.subject.key === 'cgroup'
      ? `in its cgroup${butUnkept(table)}`
      : `under its command name and its group \`${table.subject.group}\`${butUnkept(table)}`,
  );
  return `on the host, ${checked.join(' and ')}; each key's values add up to the host's counts`;
};

const resultText = (result: SelftestResult): string => {
  const { failures } = result;
  const { systemWide } = result.ran;
  if (result.verdict === 'skipped') {
    return (
      `every counter ${systemWide ? "reached the workload's number within the host's background" : 'equals what the workload did'}, ` +
      'but for runs the kernel skipped (SKIPPED: see the note; rerun on a quieter host to see them counted).'
    );
  }
  if (!systemWide) {
    const checked = checkedText(result.keyed);
    return failures
      ? `${failures} counter(s) differ from the workload.`
      : `every counter equals what the workload did${checked ? `: ${checked}` : ''}.`;
  }
  return failures
    ? `${failures} counter(s) fall outside [workload, workload + allowance]: BELOW means the probe misses calls; ` +
        'ABOVE means double counting, or a host busier during the window than before it (rerun on a quieter host).'
    : "every counter reached the workload's number and exceeded it by no more than the host's background.";
};

export const selftestText = (result: SelftestResult): string =>
  [
    ...heading(result),
    ...(result.ran.systemWide ? systemWideTable(result) : filteredTable(result)),
    ...result.uncollected.map((missing) => `${counterCell(missing.counter)} not collected here: ${missing.reason}`),
    ...result.keyed.flatMap((table) => keyedTable(table, result.skips)),
    '',
    `Result: ${resultText(result)}`,
  ].join('\n');
