// SPDX-License-Identifier: GPL-3.0-or-later
// The plugin as Netdata runs it, with real bpftrace attached to a real workload on this host.
import test from 'ava';
import { chartsForMode, chartPriority, pluginHealthChart, type ChartDefinition } from '../../src/charts/catalogue.js';
import type { Mode } from '../../src/plan/counters.js';
import { replayProtocol, type ParsedChart } from '../helpers/protocol-oracle.js';
import { runPluginAroundWorkload } from '../helpers/run-plugin.js';

const rounds = 40;
// The Node workload cannot make clone(2) fail: `selftest`'s C workload covers task_error exactly.
const workloadCannotCause = new Set(['ebpf.task_error']);

const lastValue = (chart: ParsedChart, dimension: string): bigint | undefined => chart.updates.at(-1)?.values.get(dimension);

const checkDefinition = (t: import('ava').ExecutionContext, chart: ChartDefinition, parsed: ParsedChart | undefined) => {
  if (!parsed) return t.fail(`ebpf.${chart.id} was not defined`);
  const [, , title, units, family, context, type, priority] = parsed.words;
  t.deepEqual(
    [title, units, family, context, type, priority],
    [chart.title, chart.units, chart.family, `ebpf.${chart.id}`, 'line', String(chartPriority(chart))],
  );
  t.deepEqual(
    [...parsed.dimensions.keys()],
    chart.dimensions.map((dimension) => dimension.id),
  );
  for (const dimension of chart.dimensions) {
    t.is(parsed.dimensions.get(dimension.id)?.[2], chart.algorithm);
    t.regex(parsed.labels.get(`${dimension.id}_source`) ?? '', /^tracepoint:/, `${chart.id}.${dimension.id} names its tracepoints`);
  }
};

const pluginTest = test.macro(async (t, mode: Mode) => {
  const run = await runPluginAroundWorkload(['--mode', mode], rounds);
  const charts = replayProtocol(run.stdout);
  const expected = chartsForMode(mode);
  t.deepEqual([...charts.keys()].sort(), [...expected, pluginHealthChart].map((chart) => `ebpf.${chart.id}`).sort());
  for (const chart of expected) {
    const parsed = charts.get(`ebpf.${chart.id}`);
    checkDefinition(t, chart, parsed);
    t.true((parsed?.updates.length ?? 0) >= 3, `${chart.id} was updated every second`);
    t.is(parsed?.updates[0]?.microseconds, undefined, 'the first BEGIN has no microseconds');
    t.true(parsed!.updates.slice(1).every((update) => update.microseconds! > 500_000 && update.microseconds! < 5_000_000));
    if (chart.algorithm !== 'incremental' || workloadCannotCause.has(`ebpf.${chart.id}`)) continue;
    for (const dimension of chart.dimensions) {
      t.true((lastValue(parsed!, dimension.id) ?? 0n) > 0n, `ebpf.${chart.id} ${dimension.id} counted the workload`);
    }
  }
  const bytes = charts.get('ebpf.io_bytes')!;
  // entry: write(2) asks for 100 bytes and the failing write for 1; return: 100 + 30 (writev) really written.
  t.true(lastValue(bytes, 'write')! >= BigInt(rounds * (mode === 'entry' ? 101 : 130)));
  t.true(lastValue(bytes, 'read')! >= BigInt(rounds * (mode === 'entry' ? 51 : 50)));
  const files = charts.get('ebpf.file_descriptor')!;
  t.true(lastValue(files, 'open')! >= BigInt(rounds * 3));
  t.true(lastValue(files, 'close')! >= BigInt(rounds * 3));
  if (mode === 'return') {
    const errors = charts.get('ebpf.file_error')!;
    t.true(lastValue(errors, 'open')! >= BigInt(rounds), 'opens of a missing file failed');
    t.true(lastValue(errors, 'close')! >= BigInt(rounds), 'closes of a bad fd failed');
    t.true(lastValue(charts.get('ebpf.io_error')!, 'delete')! >= BigInt(rounds));
  }
  t.true(
    charts
      .get('ebpf.process_status')!
      .updates.slice(1)
      .every((update) => update.values.has('process') && update.values.has('zombie')),
  );
  t.notRegex(run.stderr, /Error|exception|at .*\.js:\d+/i, 'no errors on stderr');
});

test.serial('entry mode charts the workload through tracepoints', pluginTest, 'entry');
test.serial('return mode adds errors and transferred bytes', pluginTest, 'return');
