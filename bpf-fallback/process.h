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

#define COMM_LEN 16
struct comm_key {
	char name[COMM_LEN];
};
// The host's totals, then one per key (src/plan/counter-keys.ts): cgroup, comm.
#define TOTALS_PER_EVENT 3
#define KEY_TABLE_MAX 65536
// Tasks followed by --pid (thread ids and process ids); the kernel's PID_MAX_LIMIT bounds both.
#define TRACKED_MAX 32768
#define PID_MAX 4194304
// Values taken at a syscall's entry and read at its exit, one per thread in flight.
#define STASH_MAX 16384

#endif
