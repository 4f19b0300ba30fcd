// SPDX-License-Identifier: GPL-3.0-or-later
// Workloads for the bench: each one makes a known kind of traced event in a tight loop and prints its cost,
// so the bench can compare the same loop bare, under the floor and under the plugin.
//   micro read|openclose|fork|thread <ops>    prints CPU and wall nanoseconds per operation
//   micro rate <reads per second|max> <secs>  1-byte reads at a steady pace; prints how many were made
//   micro churn <processes> <names> <cgroup dir|-> <cgroups>
//       short-lived processes (each opens and closes /dev/null, then exits) spread over <cgroups> cgroups
//       <dir>/c0.. (one forking worker per cgroup) and named bench-app-0.. (<names> distinct names, 0: unnamed)
//   micro active <seconds> <names> <cgroup dir|-> <cgroups>
//       as many processes as cgroups or names, each in its cgroup under its name, each reading 1 byte
//       every 100 ms for <seconds>, so every cgroup and name has events all the time
//   both print the number of processes they made
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

// CPU time of this process and its reaped children (fork's children exit on their own time): unlike wall
// time, it does not grow when a neighbour takes the CPU away.
static double cpu_ns(void)
{
	struct timespec ts;
	struct rusage children;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	getrusage(RUSAGE_CHILDREN, &children);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec
	       + ((double)children.ru_utime.tv_sec + (double)children.ru_stime.tv_sec) * 1e9
	       + ((double)children.ru_utime.tv_usec + (double)children.ru_stime.tv_usec) * 1e3;
}

static int zero_fd(void)
{
	int fd = open("/dev/zero", O_RDONLY);

	if (fd < 0) {
		perror("open /dev/zero");
		exit(1);
	}
	return fd;
}

static void read_one(int fd)
{
	char byte;

	if (read(fd, &byte, 1) != 1) {
		perror("read");
		exit(1);
	}
}

static void read_loop(long ops)
{
	int fd = zero_fd();

	for (long i = 0; i < ops; i++)
		read_one(fd);
	close(fd);
}

static void open_close_loop(long ops)
{
	for (long i = 0; i < ops; i++) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd < 0) {
			perror("open /dev/null");
			exit(1);
		}
		close(fd);
	}
}

static void fork_loop(long ops)
{
	for (long i = 0; i < ops; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
}

static void *thread_body(void *arg)
{
	return arg;
}

static void thread_loop(long ops)
{
	for (long i = 0; i < ops; i++) {
		pthread_t thread;
		int err = pthread_create(&thread, NULL, thread_body, NULL);

		if (err) {
			fprintf(stderr, "pthread_create: %s\n", strerror(err));
			exit(1);
		}
		pthread_join(thread, NULL);
	}
}

// Reads in 1 ms slices, catching up with the clock, so the rate holds whatever one read costs.
static long paced_reads(double per_second, double seconds)
{
	int fd = zero_fd();
	double start = now_ns(), end = start + seconds * 1e9;
	long done = 0;

	for (double t = start; t < end; t = now_ns()) {
		long due = (long)((t - start) * per_second / 1e9);

		while (done < due) {
			read_one(fd);
			done++;
		}
		struct timespec slice = { 0, 1000000 };

		nanosleep(&slice, NULL);
	}
	close(fd);
	return done;
}

static long flat_out_reads(double seconds)
{
	int fd = zero_fd();
	double end = now_ns() + seconds * 1e9;
	long done = 0;

	// The clock is read once per 4096 reads: its own cost stays out of the rate.
	while (now_ns() < end) {
		for (int i = 0; i < 4096; i++)
			read_one(fd);
		done += 4096;
	}
	close(fd);
	return done;
}

// Moves the calling process into <dir>/c<index>: what it forks from then on is born there.
static void join_cgroup(const char *dir, long index)
{
	char path[4096];
	FILE *procs;

	snprintf(path, sizeof(path), "%s/c%ld/cgroup.procs", dir, index);
	procs = fopen(path, "w");
	if (!procs || fprintf(procs, "0\n") < 0 || fclose(procs) != 0) {
		perror(path);
		exit(1);
	}
}

static void take_name(long index)
{
	char name[16];

	snprintf(name, sizeof(name), "bench-app-%u", (unsigned)(index % 100000));
	prctl(PR_SET_NAME, name);
}

// Forks a process that runs body(index) and exits.
static pid_t start_child(void (*body)(long, long), long index, long arg)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		body(index, arg);
		_exit(0);
	}
	return pid;
}

static void wait_all(void)
{
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

struct spread {
	long names;
	const char *dir;
	long cgroups;
};

static struct spread spread;

static void short_lived(long index, long unused)
{
	(void)unused;
	if (spread.names > 0)
		take_name(index % spread.names);
	open_close_loop(1);
}

static int short_lived_entry(void *index)
{
	short_lived((long)index, 0);
	_exit(0);
}

// A short-lived process costs its fork: it shares this worker's memory until it exits (CLONE_VM |
// CLONE_VFORK, as posix_spawn does), so 100,000 of them take seconds, not minutes, and each is still a
// process of its own, with its own pid, name and exit.
static void churn_worker(long worker, long processes)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));

	if (spread.cgroups > 0)
		join_cgroup(spread.dir, worker);
	for (long i = 0; i < processes; i++) {
		pid_t pid = clone(short_lived_entry, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD,
				  (void *)(worker * processes + i));

		if (pid < 0) {
			perror("clone");
			exit(1);
		}
		waitpid(pid, NULL, 0);
	}
}

static void active_process(long index, long seconds)
{
	struct timespec pause = { 0, 100000000 };
	double end = now_ns() + (double)seconds * 1e9;
	int fd = zero_fd();

	if (spread.cgroups > 0)
		join_cgroup(spread.dir, index % spread.cgroups);
	if (spread.names > 0)
		take_name(index % spread.names);
	while (now_ns() < end) {
		read_one(fd);
		nanosleep(&pause, NULL);
	}
}

// With cgroups: one worker per cgroup; without: two, for the two cores of the bench machine.
static long churn(long processes)
{
	long workers = spread.cgroups > 0 ? spread.cgroups : 2;

	for (long worker = 0; worker < workers; worker++)
		start_child(churn_worker, worker, processes / workers);
	wait_all();
	return processes / workers * workers;
}

static long active(long seconds)
{
	long processes = spread.cgroups > spread.names ? spread.cgroups : spread.names;

	for (long i = 0; i < processes; i++)
		start_child(active_process, i, seconds);
	wait_all();
	return processes;
}

static int usage(void)
{
	fprintf(stderr, "usage: micro read|openclose|fork|thread <ops>\n"
			"       micro rate <reads per second|max> <seconds>\n"
			"       micro churn <processes> <names> <cgroup dir|-> <cgroups>\n"
			"       micro active <seconds> <names> <cgroup dir|-> <cgroups>\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 6 && (strcmp(argv[1], "churn") == 0 || strcmp(argv[1], "active") == 0)) {
		long count = atol(argv[2]);

		spread = (struct spread){ atol(argv[3]), argv[4], strcmp(argv[4], "-") == 0 ? 0 : atol(argv[5]) };
		if (count <= 0 || spread.names < 0 || spread.cgroups < 0)
			return usage();
		printf("%ld\n", strcmp(argv[1], "churn") == 0 ? churn(count) : active(count));
		return 0;
	}
	if (argc != 3 && argc != 4)
		return usage();
	if (strcmp(argv[1], "rate") == 0) {
		if (argc != 4)
			return usage();
		double seconds = atof(argv[3]);
		long done = strcmp(argv[2], "max") == 0 ? flat_out_reads(seconds) : paced_reads(atof(argv[2]), seconds);

		printf("%ld\n", done);
		return 0;
	}
	long ops = atol(argv[2]);
	void (*loop)(long) = strcmp(argv[1], "read") == 0 ? read_loop
			   : strcmp(argv[1], "openclose") == 0 ? open_close_loop
			   : strcmp(argv[1], "fork") == 0 ? fork_loop
			   : strcmp(argv[1], "thread") == 0 ? thread_loop : NULL;

	if (!loop || ops <= 0)
		return usage();
	double cpu_start = cpu_ns(), start = now_ns();

	loop(ops);
	printf("%.2f %.2f\n", (cpu_ns() - cpu_start) / (double)ops, (now_ns() - start) / (double)ops);
	return 0;
}
