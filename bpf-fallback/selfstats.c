// SPDX-License-Identifier: GPL-3.0-or-later
// Self monitoring: BPF_ENABLE_STATS keeps the kernel's BPF run-time statistics on while its fd is open,
// and counts alongside `kernel.bpf_stats_enabled` rather than writing it, so the sysctl stays as the
// administrator (or another tool) set it. The fd is never closed: exiting closes it, which is the point.
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "process.h"
#include "selfstats.h"

#define MAX_PROGRAMS 128

void stats_enable(FILE *out)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	// The command needs CAP_SYS_ADMIN; the installed helper has CAP_BPF and CAP_PERFMON only.
	if (fd < 0)
		fprintf(out, "{\"type\": \"warnf\", \"msg\": \"self monitoring: the kernel refused to turn on BPF run-time "
			     "statistics (%s); it needs CAP_SYS_ADMIN, so programs are timed only while "
			     "kernel.bpf_stats_enabled = 1\"}\n", strerror(-fd));
}

int print_prog_stats(FILE *out, const struct prog_entry *progs, int count)
{
	const char *separator = "";

	fputs("{\"type\": \"prog_stats\", \"data\": [", out);
	for (int i = 0; i < count; i++) {
		struct bpf_prog_info info = { 0 };
		__u32 length = sizeof(info);

		if (progs[i].attach_count == 0 || bpf_obj_get_info_by_fd(progs[i].fd, &info, &length) != 0)
			continue;
		fprintf(out, "%s{\"id\": %u, \"attach\": [", separator, info.id);
		for (int a = 0; a < progs[i].attach_count; a++)
			fprintf(out, "%s\"%s\"", a ? ", " : "", progs[i].attach[a]);
		fprintf(out, "], \"run_time_ns\": %llu, \"run_cnt\": %llu, \"recursion_misses\": %llu}",
			(unsigned long long)info.run_time_ns, (unsigned long long)info.run_cnt,
			(unsigned long long)info.recursion_misses);
		separator = ", ";
	}
	fputs("]}\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

// Kernel names are printed inside JSON strings: only the characters of symbols and tracepoints.
static bool plain_name(const char *name)
{
	return *name && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") == strlen(name);
}

static const char *kind_prefix(__u32 type)
{
	switch (type) {
	case BPF_FD_TYPE_TRACEPOINT:
		return "tracepoint";
	case BPF_FD_TYPE_RAW_TRACEPOINT:
		return "rawtracepoint";
	case BPF_FD_TYPE_KPROBE:
		return "kprobe";
	case BPF_FD_TYPE_KRETPROBE:
		return "kretprobe";
	default:
		return NULL; // uprobes: bpftrace's BEGIN and END, which run once
	}
}

static struct prog_entry *entry_for(struct prog_entry *progs, int *count, __u32 id)
{
	int fd;

	for (int i = 0; i < *count; i++)
		if (progs[i].id == id)
			return &progs[i];
	if (*count == MAX_PROGRAMS)
		return NULL;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return NULL;
	progs[*count] = (struct prog_entry){ .fd = fd, .id = id };
	return &progs[(*count)++];
}

/*
 * The programs attached through PID's file descriptors, found by asking the kernel what each descriptor
 * is (BPF_TASK_FD_QUERY): exactly that process's programs, none of another tool's, named by where they
 * are attached. Programs stay cached by id: bpftrace keeps its programs for its whole run.
 */
static int scan_programs(int pid, struct prog_entry *progs, int *count)
{
	char path[64];
	struct dirent *entry;
	DIR *fds;

	for (int i = 0; i < *count; i++)
		progs[i].attach_count = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	fds = opendir(path);
	if (!fds)
		return -errno;
	while ((entry = readdir(fds))) {
		char name[STATS_NAME_LEN - 16];
		__u32 length = sizeof(name), id, type;
		__u64 offset, address;
		struct prog_entry *prog;
		const char *prefix;

		if (!isdigit((unsigned char)entry->d_name[0]))
			continue;
		if (bpf_task_fd_query(pid, atoi(entry->d_name), 0, name, &length, &id, &type, &offset, &address) != 0)
			continue;
		prefix = kind_prefix(type);
		if (!prefix || !plain_name(name) || !(prog = entry_for(progs, count, id)) || prog->attach_count == STATS_MAX_ATTACH)
			continue;
		snprintf(prog->attach[prog->attach_count++], STATS_NAME_LEN, "%s:%s", prefix, name);
	}
	closedir(fds);
	return 0;
}

int run_stats_of(const char *pid_text, bool timed)
{
	static struct prog_entry progs[MAX_PROGRAMS];
	char request[64];
	int count = 0;
	char *end;
	long pid = strtol(pid_text, &end, 10);

	if (!isdigit((unsigned char)pid_text[0]) || *end || pid < 1 || pid > PID_MAX) {
		fprintf(stderr, "ebpf-process-helper: %s must be a process id 1-%d, got '%s'\n", timed ? "--stats-of" : "--skips-of",
			PID_MAX, pid_text);
		return 2;
	}
	if (timed)
		stats_enable(stdout);
	// One answer per request: the plugin asks when its backend printed a sample, so both cover one interval.
	while (fgets(request, sizeof(request), stdin)) {
		int err = scan_programs((int)pid, progs, &count);

		if (err) {
			fprintf(stderr, "ebpf-process-helper: reading the programs of process %ld: %s\n", pid, strerror(-err));
			return 1;
		}
		if (print_prog_stats(stdout, progs, count))
			return 0;
	}
	return 0;
}
