// SPDX-License-Identifier: GPL-3.0-or-later
// The contract shared by the BPF programs and the user-space helper: counter slots and limits.
#ifndef EBPF_PROCESS_H
#define EBPF_PROCESS_H

// One slot per counter of src/plan/counters.ts, generated from it (src/backend/helper/c-sources/).
#include "counters.gen.h"

// Every counter of one CPU in one map value: a program then does one lookup however many counters it
// adds to (a read adds calls and bytes), and the adds share a cache line.
struct totals {
	unsigned long long slot[COUNTER_COUNT];
};

// COMM_LEN, PID_MAX, TRACKED_MAX, STASH_MAX and the others: generated from src/limits.ts (Makefile).
#include "limits.gen.h"
struct comm_key {
	char name[COMM_LEN];
};
// One apps_groups.conf name as the kernel looks it up (--app-names): the kind of match, and the name's bytes with
// the rest zero. A task's name matches when a part of it (all, its start, its end, any part) is a key of the map.
enum app_kind { APP_EXACT, APP_PREFIX, APP_SUFFIX, APP_SUBSTRING, APP_KINDS };
struct app_name {
	unsigned int kind;
	unsigned int length;
	struct comm_key name;
};
// The host's totals, then one per key (src/plan/counter-keys.ts): cgroup, comm.
#define TOTALS_PER_EVENT 3

#endif
