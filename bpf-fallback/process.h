// SPDX-License-Identifier: GPL-3.0-or-later
// The contract shared by the BPF programs and the user-space helper: counter slots and limits.
#ifndef EBPF_PROCESS_H
#define EBPF_PROCESS_H

// One slot per counter of src/plan/counters.ts; the names the helper prints are in process.c.
enum counter {
	C_OPEN, C_OPEN_ERROR,
	C_CLOSE, C_CLOSE_ERROR,
	C_UNLINK, C_UNLINK_ERROR,
	C_READ, C_READ_BYTES, C_READ_ERROR,
	C_WRITE, C_WRITE_BYTES, C_WRITE_ERROR,
	C_PROCESS, C_THREAD,
	C_PROCESS_ERROR, C_THREAD_ERROR,
	C_EXIT, C_RELEASE,
	COUNTER_COUNT,
};

// Every counter of one CPU in one map value: a program then does one lookup however many counters it
// adds to (a read adds calls and bytes), and the adds share a cache line.
struct totals {
	unsigned long long slot[COUNTER_COUNT];
};

// COMM_LEN, PID_MAX, TRACKED_MAX, STASH_MAX and the others: generated from src/limits.ts (Makefile).
#include "limits.gen.h"

#endif
