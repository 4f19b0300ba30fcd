// SPDX-License-Identifier: GPL-3.0-or-later
// The counters both backends produce. A counter id is also the bpftrace map name (`@open`) and the key the
// helper prints, so the three parts of the pipeline share one vocabulary.

export const modes = ['entry', 'return'] as const;
export type Mode = (typeof modes)[number];

export const counterIds = [
  'open', 'open_error',
  'close', 'close_error',
  'unlink', 'unlink_error',
  'read', 'read_bytes', 'read_error',
  'write', 'write_bytes', 'write_error',
  'process', 'thread',
  'process_error', 'thread_error',
  'exit', 'release',
] as const;
export type CounterId = (typeof counterIds)[number];

export const isCounterId = (name: string): name is CounterId => (counterIds as readonly string[]).includes(name);
