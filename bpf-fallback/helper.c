// SPDX-License-Identifier: GPL-3.0-or-later
// ebpf-process-helper: the libbpf fallback of ebpf-process. It attaches what the plan names and prints
// running totals as bpftrace's JSON map prints every interval, until its parent, stdin or stdout goes away.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include "attach.h"
#include "keyed-report.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "selfstats.h"

#define NAME "ebpf-process-helper"

static volatile sig_atomic_t exiting;
static bool verbose;

static void on_signal(int signo)
{
	(void)signo;
	exiting = 1;
}

// libbpf's messages (verifier logs, retries while finding refused programs) only with --verbose.
static int libbpf_print(enum libbpf_print_level level, const char *format, va_list args)
{
	return verbose && level != LIBBPF_DEBUG ? vfprintf(stderr, format, args) : 0;
}

// Dies with the plugin even when it is SIGKILLed: no BPF program outlives it.
static int follow_parent(void)
{
	struct sigaction action = { .sa_handler = on_signal };
	pid_t parent = getppid();

	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent) {
		fprintf(stderr, NAME ": the parent process is gone; nothing to report to\n");
		return -1;
	}
	return 0;
}

// Only a pipe or socket can close under us; /dev/null or a terminal as stdin must not end the run.
static bool closable(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

// Waits until the next sample is due; false when stdin reached its end or stdout lost its reader.
static bool wait_until(long long due)
{
	struct pollfd fds[2] = {
		{ .fd = closable(STDOUT_FILENO) ? STDOUT_FILENO : -1 },
		{ .fd = closable(STDIN_FILENO) ? STDIN_FILENO : -1, .events = POLLIN },
	};
	char discard[256];

	while (!exiting) {
		long long left = due - now_ms();

		if (left <= 0)
			return true;
		if (poll(fds, 2, (int)left) < 0 && errno != EINTR)
			return false;
		if (fds[0].revents & (POLLERR | POLLHUP))
			return false;
		if (fds[1].revents & POLLIN && read(STDIN_FILENO, discard, sizeof(discard)) <= 0)
			return false;
		if (fds[1].revents & (POLLHUP | POLLERR) && !(fds[1].revents & POLLIN))
			return false;
	}
	return false;
}

static bool process_exists(int pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

// The programs' statistics (run time and count with --self-stats, the runs the kernel skipped always), then the
// counters, so that both cover one interval; the keyed totals after the host's, as the bpftrace script prints them.
static int print_all(const struct session *session, const struct options *opts, struct prog_entry *programs, int count)
{
	if (programs && print_prog_stats(stdout, programs, count))
		return -1;
	if (print_counters(stdout, counters_fd(session), opts->counters, opts->counter_count))
		return -1;
	// The removed cgroups' slots are free again before the report, which no longer lists them.
	if (opts->cgroup_table_size && recycle_cgroup_slots(session))
		return -1;
	if (opts->cgroup_table_size &&
	    print_keyed(stdout, keyed_maps(session, KEY_CGROUP), KEY_CGROUP, opts->cgroup_table_size, opts->counters, opts->counter_count))
		return -1;
	if (opts->comm_table_size &&
	    print_keyed(stdout, keyed_maps(session, KEY_COMM), KEY_COMM, opts->comm_table_size, opts->counters, opts->counter_count))
		return -1;
	return print_sample_end(stdout);
}

int main(int argc, char **argv)
{
	struct prog_entry *programs = NULL;
	struct options opts;
	struct session session;
	int program_count = 0;
	long long due;
	int err;

	if (argc >= 2 && strcmp(argv[1], "--probe") == 0)
		return run_probe(argc - 2, argv + 2);
	if (argc == 3 && (strcmp(argv[1], "--stats-of") == 0 || strcmp(argv[1], "--skips-of") == 0))
		return follow_parent() ? EXIT_FATAL : run_stats_of(argv[2], strcmp(argv[1], "--stats-of") == 0);
	// Set first: parsing --btf calls libbpf, whose warnings stay quiet without --verbose.
	libbpf_set_print(libbpf_print);
	if (parse_options(argc, argv, &opts))
		return EXIT_USAGE;
	if (opts.pid && !process_exists(opts.pid)) {
		fprintf(stderr, NAME ": --pid %d: no such process; give the id of a running process\n", opts.pid);
		return EXIT_USAGE;
	}
	verbose = opts.verbose;
	if (follow_parent())
		return EXIT_FATAL;
	// Before loading, so that the first interval is timed too.
	if (opts.self_stats)
		stats_enable(stdout);
	err = start_session(&session, &opts);
	if (err) {
		stop_session(&session);
		return err;
	}
	// The kernel counts skipped runs (recursion_misses) without the run-time statistics: always reported.
	if ((programs = calloc(MAX_REQUESTS + 4, sizeof(*programs))))
		program_count = session_programs(&session, &opts, programs);
	if (print_attached(stdout, session.probes) == 0) {
		// The first sample right after attaching, so that the plugin has data without waiting an interval.
		for (due = now_ms(); wait_until(due); due += opts.interval_ms)
			if (print_all(&session, &opts, programs, program_count))
				break;
	}
	stop_session(&session);
	free(programs);
	return 0;
}
