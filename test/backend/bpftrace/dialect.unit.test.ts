// SPDX-License-Identifier: GPL-3.0-or-later
// The per-version rules as the real builds accept them (docs/bpftrace-versions.md); test/matrix/ compiles them.
import test from 'ava';
import { deleteStatement, describeDialect, dialectFor } from '../../../src/backend/bpftrace/dialect.js';

test('0.22 and 0.23 set print_maps_on_exit to the integer 0, which 0.23 requires, and missing_probes from 0.21', (t) => {
  t.deepEqual(dialectFor('0.23.2').config, { missing_probes: '"error"', print_maps_on_exit: '0' });
  t.deepEqual(dialectFor('0.22.1').config, { missing_probes: '"error"', print_maps_on_exit: '0' });
  t.deepEqual(dialectFor('0.21.0').config, { missing_probes: '"error"' });
  t.deepEqual(dialectFor('0.17.0').config, {});
  t.deepEqual(dialectFor('0.27.1').config, {});
  t.deepEqual(dialectFor('0.27.1').env, { BPFTRACE_PRINT_MAPS_ON_EXIT: '0' });
});

test('spellings: kfunc and args-> up to 0.18, fentry from 0.20, args. from 0.19', (t) => {
  t.like(dialectFor('0.17.0'), { fentry: 'kfunc', fexit: 'kretfunc', args: '->' });
  t.like(dialectFor('0.19.1'), { fentry: 'kfunc', args: '.' });
  t.like(dialectFor('0.27.1'), { fentry: 'fentry', fexit: 'fexit', args: '.', tracepointArgsNeedBtf: true });
  t.false(dialectFor('0.24.0').tracepointArgsNeedBtf);
});

test('deletes are guarded from 0.23 on, where a failed one is reported', (t) => {
  t.is(deleteStatement(dialectFor('0.17.0'), '@m', 'tid'), 'delete(@m[tid]);');
  t.is(deleteStatement(dialectFor('0.23.2'), '@m', 'tid'), 'if (has_key(@m, tid)) { delete(@m[tid]); }');
});

test('runsOn names the releases that get the same text; unparsable versions count as newest', (t) => {
  t.deepEqual(
    ['0.9.4', '0.17.0', '0.19.0', '0.20.2', '0.22.1', '0.23.2', '0.24.1', '0.26.0', '0.27.1', 'v1.0.0', 'git'].map(
      (version) => dialectFor(version).runsOn,
    ),
    [
      'up to 0.18',
      'up to 0.18',
      '0.19',
      '0.20',
      '0.22',
      '0.23',
      '0.24',
      '0.25 and later',
      '0.25 and later',
      '0.25 and later',
      '0.25 and later',
    ],
  );
});

test('describeDialect says the spellings and settings', (t) => {
  t.is(
    describeDialect(dialectFor('0.23.2')),
    'script dialect of bpftrace 0.23: fentry:/fexit:, args.field, config block { missing_probes = "error"; print_maps_on_exit = 0 }, ' +
      'releases hooked raw (with kernel BTF)',
  );
  t.is(
    describeDialect(dialectFor('0.27.1')),
    'script dialect of bpftrace 0.25 and later: fentry:/fexit:, args.field, environment BPFTRACE_PRINT_MAPS_ON_EXIT=0, ' +
      'tracepoint args need kernel BTF, releases hooked raw with kernel BTF where the kernel hides ' +
      'available_filter_functions (the plugin names __probestub_sched_process_free with --traceable-functions), ' +
      'else as a perf tracepoint (auto then takes release_task)',
  );
  t.is(
    describeDialect(dialectFor('0.17.0')),
    'script dialect of bpftrace up to 0.18: kfunc:/kretfunc:, args->field, ' +
      'sched_process_free only as a perf tracepoint (no rawtracepoint before bpftrace 0.23 here: the kernel skips some under ' +
      'load, so auto takes release_task where the kernel has it)',
  );
});
