// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's command line: what to count, where, and for whom.
#ifndef EBPF_PROCESS_OPTIONS_H
#define EBPF_PROCESS_OPTIONS_H

#include <stdbool.h>
#include "process.h"

#define MAX_REQUESTS 64
#define MAX_TARGETS 8

// PROGRAM=TARGET[,TARGET...]: one BPF program of process.bpf.c and where it attaches.
struct request {
	const char *program;
	const char *targets[MAX_TARGETS];
	int target_count;
};

struct options {
	unsigned int interval_ms;
	int pid; // 0: every process
	char comm[COMM_LEN]; // empty: every name
	int counters[COUNTER_COUNT];
	int counter_count;
	struct request requests[MAX_REQUESTS];
	int request_count;
	const char *btf; // NULL: CO-RE relocates against the kernel's own BTF
	bool self_stats; // print the programs' run time and count with every sample
	// Also count per cgroup / per command name in a table of this many entries; 0: host totals only.
	unsigned int cgroup_table_size;
	unsigned int comm_table_size;
	bool hash_keys; // keys in the per-CPU hashes even where the slot cache could be used
	// --app-names: apps_groups.conf's names; a task whose own name matches none counts under its ancestor's.
	struct app_name *app_names;
	int app_name_count;
	unsigned int app_lengths[APP_KINDS]; // per enum app_kind, a bit per name length given
	bool verbose;
};

// Fills opts from argv; on bad input prints why and returns -1.
int parse_options(int argc, char **argv, struct options *opts);

bool valid_function_name(const char *name);
bool valid_tracepoint_name(const char *name);

#endif
