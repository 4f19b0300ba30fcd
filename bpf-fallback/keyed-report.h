// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's per-key output: bpftrace's keyed map prints (src/plan/counter-keys.ts).
#ifndef EBPF_PROCESS_KEYED_REPORT_H
#define EBPF_PROCESS_KEYED_REPORT_H

#include <stdio.h>
#include "process.h"

enum key_kind { KEY_CGROUP, KEY_COMM };

// Where a key's totals are: `keys` holds them (a per-CPU hash), or, with the slot cache, holds each key's
// slot into `slots` (a per-CPU array); slots is -1 without it. `unkeyed` holds, at the key kind's index, the totals
// of the events whose key found the table full.
struct keyed_maps {
	int keys;
	int slots;
	int unkeyed;
};

// The counter's id, as src/plan/counters.ts spells it (report.c).
const char *counter_name(int counter);

// One map line per counter with every key of the table, then the table's unkeyed totals as one map keyed by
// counter (`@unkeyed__cgroup`); -1 when a map or out fails.
int print_keyed(FILE *out, struct keyed_maps maps, enum key_kind kind, unsigned int max_entries, const int *counters, int count);

#endif
