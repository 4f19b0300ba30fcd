// SPDX-License-Identifier: GPL-3.0-or-later
// The collector's own cost in the kernel: run time and run count of BPF programs, as one JSON line.
#ifndef EBPF_PROCESS_SELFSTATS_H
#define EBPF_PROCESS_SELFSTATS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define STATS_MAX_ATTACH 8
// "tracepoint:" and a subsystem:event of up to 255 characters.
#define STATS_NAME_LEN 272

// One program and where it is attached, written the way the plan names attach points.
struct prog_entry {
	int fd;
	__u32 id;
	int attach_count;
	char attach[STATS_MAX_ATTACH][STATS_NAME_LEN];
};

// Turns the run-time statistics on for this process's lifetime; on refusal says why in a warnf line on out.
void stats_enable(FILE *out);
// {"type": "prog_stats", "data": [{"id", "attach", "run_time_ns", "run_cnt", "recursion_misses"}, ...]}; -1 when out is gone.
int print_prog_stats(FILE *out, const struct prog_entry *progs, int count);
// `--stats-of PID` (timed: run-time statistics on) or `--skips-of PID` (run time and count stay 0 unless
// kernel.bpf_stats_enabled, the skipped runs are counted regardless): one prog_stats line for PID's attached
// programs per line read on stdin, until its end.
int run_stats_of(const char *pid_text, bool timed);

#endif
