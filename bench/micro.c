// SPDX-License-Identifier: GPL-3.0-or-later
// Workloads for the bench: each one makes a known kind of traced event in a tight loop and prints its cost,
// so the bench can compare the same loop bare, under the floor and under the plugin.
//   micro read|openclose|fork|thread <ops>    prints CPU and wall nanoseconds per operation
//   micro rate <reads per second|max> <secs>  1-byte reads at a steady pace; prints how many were made
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

static int usage(void)
{
	fprintf(stderr, "usage: micro read|openclose|fork|thread <ops>\n"
			"       micro rate <reads per second|max> <seconds>\n");
	return 2;
}

int main(int argc, char **argv)
{
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
