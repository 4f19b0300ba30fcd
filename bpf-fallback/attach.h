// SPDX-License-Identifier: GPL-3.0-or-later
// Loads only the programs the plan names, sets their targets, and attaches them.
#ifndef EBPF_PROCESS_ATTACH_H
#define EBPF_PROCESS_ATTACH_H

#include "keyed-report.h"
#include "options.h"
#include "selfstats.h"

// Exit codes the plugin acts on: attach failures make it re-plan without the failed points.
enum { EXIT_FATAL = 1, EXIT_USAGE = 2, EXIT_ATTACH = 3 };

struct session {
	struct process_bpf *skel;
	struct bpf_link *links[MAX_REQUESTS * MAX_TARGETS + 4]; // and --pid's and --app-names' hooks
	int link_count;
	int probes; // attach points of the plan that are attached
	bool loaded[MAX_REQUESTS]; // per request of the options: its program is loaded
};

// 0 when every requested attach point is attached; otherwise an exit code, each failure already reported (report.h).
int start_session(struct session *session, const struct options *opts);
void stop_session(struct session *session);
int counters_fd(const struct session *session);
// The per-cgroup or per-command-name totals (process.bpf.c), for --per-cgroup and --per-comm.
struct keyed_maps keyed_maps(const struct session *session, enum key_kind kind);
// Zeroes the slots of the cgroups removed since the last call and frees them again; -1 on a map error.
int recycle_cgroup_slots(const struct session *session);
// The loaded programs with their attach points, for --self-stats; returns how many were written.
int session_programs(const struct session *session, const struct options *opts, struct prog_entry *out);

#endif
