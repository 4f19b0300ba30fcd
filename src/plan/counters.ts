// SPDX-License-Identifier: GPL-3.0-or-later
// The counters both backends produce. A counter id is also the bpftrace map name (`@open`) and the key the
// helper prints, so the three parts of the pipeline share one vocabulary.

export const modes = ['entry', 'return'] as const;
export type Mode = (typeof modes)[number];

export const counterIds = [
  'open',
  'open_error',
  'close',
  'close_error',
  'unlink',
  'unlink_error',
  'read',
  'read_bytes',
  'read_error',
  'write',
  'write_bytes',
  'write_error',
  'process',
  'thread',
  'process_error',
  'thread_error',
  'exit',
  'release',
] as const;
export type CounterId = (typeof counterIds)[number];

export const isCounterId = (name: string): name is CounterId => (counterIds as readonly string[]).includes(name);

/** Counters that total a quantity of the calls another counter counts: where the dialect keeps both in one
 *  bpftrace `stats()` map (named after the count), its total is this counter (generate-script.ts, and the
 *  sample assembler that reads it back). */
export const totalOf: Readonly<Partial<Record<CounterId, CounterId>>> = { read: 'read_bytes', write: 'write_bytes' };

/** Counters that count events (a call, a task made, exited or released) rather than their bytes or errors: their sum is
 *  how many events there were (a table's events counted on the host only, ebpf.plugin_health). */
export const eventCounters: readonly CounterId[] = counterIds.filter(
  (counter) => !Object.values(totalOf).includes(counter) && !counter.endsWith('_error'),
);
