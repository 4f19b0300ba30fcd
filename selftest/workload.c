// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * workload: the known workload of `ebpf-process selftest`.
 *
 * It makes exact numbers of the calls the collector counts (opens, closes, unlinks, reads and writes in every
 * variant, process and thread creations, failing clones, task exits) and reports what it did as one JSON line.
 *
 * USAGE: workload [--rounds N] [--dir PARENT]
 *
 * Protocol (stdout lines, stdin bytes), so a tracer can attach first and stop before the report is written:
 *   1. writes {"event":"ready","pid":P}, then blocks in read(0, 1 byte)        the start barrier
 *   2. the measured section, N rounds
 *   3. writes {"event":"done"} in one write(2), then blocks in read(0, 1 byte)  the end barrier
 *   4. writes {"event":"report",...}, removes its files, exits 0
 * The barrier calls fall inside the tracer's window in part; the report lists them under "barrier".
 * EOF on stdin at the start barrier means the runner went away: clean up and exit 3.
 *
 * Inside the measured section every counted call is a raw syscall(2), so the report names the syscall the
 * kernel saw. The other calls there (fork, pthread_create/join, waitpid, mkdir, access) make no call of a
 * counted kind, and nothing is printed: stdio would add write(2) calls. test/workload checks this with bpftrace.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

enum call {
	C_OPEN, C_OPENAT, C_OPENAT2, C_CREAT, C_CLOSE, C_UNLINK, C_UNLINKAT,
	C_READ, C_PREAD64, C_READV, C_PREADV, C_PREADV2,
	C_WRITE, C_PWRITE64, C_WRITEV, C_PWRITEV, C_PWRITEV2,
	C_FORK, C_PTHREAD_CREATE, C_CLONE, C_CLONE3, N_CALLS
};
static const char *const call_names[N_CALLS] = {
	"open", "openat", "openat2", "creat", "close", "unlink", "unlinkat",
	"read", "pread64", "readv", "preadv", "preadv2",
	"write", "pwrite64", "writev", "pwritev", "pwritev2",
	"fork", "pthread_create", "clone", "clone3",
};

/* What kind of call it was; every failing kind names the one errno it must fail with. */
enum kind {
	K_OK, K_MISSING, K_IS_DIR, K_RMDIR, K_FD_NOT_OPEN, K_WRONG_MODE,
	K_THREAD_EINVAL, K_PROCESS_EINVAL, K_BAD_SIZE, N_KINDS
};
static const char *const kind_names[N_KINDS] = {
	"ok", "missing", "is_dir", "rmdir", "fd_not_open", "wrong_mode",
	"thread_einval", "process_einval", "bad_size",
};
static const int kind_errno[N_KINDS] = {
	0, ENOENT, EISDIR, 0, EBADF, EBADF, EINVAL, EINVAL, EINVAL,
};

struct tally {
	long calls, failed, requested, transferred;
};

static struct tally tallies[N_CALLS][N_KINDS];
static long tasks_exited, tasks_released;
static struct tally barrier_start, barrier_done, barrier_end;

static char workdir[4096];
static char buf[4096];
static const int NOT_OPEN = -1; /* never a valid descriptor: fails EBADF at fd lookup */
static const size_t DATA_SIZE = 3000;
#define DONE_LINE "{\"event\":\"done\"}\n"

static void cleanup(void);

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("workload: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	cleanup();
	exit(2);
}

/* Check one call against its kind and count it. Offsets and sizes stay far below 2 GiB. */
static long note(enum call c, enum kind k, long ret, long requested, int counts_bytes)
{
	struct tally *t = &tallies[c][k];
	int want = kind_errno[k];

	if (want == 0 && ret < 0)
		die("%s (%s) failed: %s", call_names[c], kind_names[k], strerror(errno));
	if (want != 0 && (ret != -1 || errno != want))
		die("%s (%s) returned %ld (%s), expected to fail with %s", call_names[c], kind_names[k], ret,
		    ret == -1 ? strerror(errno) : "no error", strerror(want));
	t->calls++;
	t->requested += requested;
	if (ret < 0)
		t->failed++;
	else if (counts_bytes)
		t->transferred += ret;
	return ret;
}

#define PATH_LEN 4200
static char data_path[PATH_LEN], missing_path[PATH_LEN], dir_path[PATH_LEN];

static const char *make_path(char out[PATH_LEN], const char *name, int round)
{
	snprintf(out, PATH_LEN, "%s/%s-%d", workdir, name, round);
	return out;
}

/* Opens: one helper per syscall, so the report names what the kernel saw. */
static int do_open(enum call c, enum kind k, const char *file, int flags)
{
	long ret;

	switch (c) {
#ifdef SYS_open
	case C_OPEN:
		ret = syscall(SYS_open, file, flags, 0600);
		break;
#endif
#ifdef SYS_creat
	case C_CREAT:
		ret = syscall(SYS_creat, file, 0600);
		break;
#endif
#ifdef SYS_openat2
	case C_OPENAT2: {
		struct { uint64_t flags, mode, resolve; } how = { (uint64_t)flags, 0, 0 };

		ret = syscall(SYS_openat2, AT_FDCWD, file, &how, sizeof(how));
		break;
	}
#endif
	default:
		ret = syscall(SYS_openat, AT_FDCWD, file, flags, 0600);
		c = C_OPENAT;
	}
	return (int)note(c, k, ret, 0, 0);
}

static int have_openat2;

static void opens(int round, int fds[4])
{
	const char *data = data_path, *missing = missing_path;
	char file[PATH_LEN];

#ifdef SYS_open
	fds[0] = do_open(C_OPEN, K_OK, data, O_RDONLY);
	do_open(C_OPEN, K_MISSING, missing, O_RDONLY);
#else
	fds[0] = do_open(C_OPENAT, K_OK, data, O_RDONLY);
#endif
	fds[1] = do_open(C_OPENAT, K_OK, data, O_RDONLY);
	do_open(C_OPENAT, K_MISSING, missing, O_RDONLY);
	/* creat(2) where the architecture has it; openat(2) with the same flags elsewhere. */
	fds[2] = do_open(C_CREAT, K_OK, make_path(file, "f", round), O_WRONLY | O_CREAT | O_TRUNC);
	fds[3] = do_open(C_OPENAT, K_OK, make_path(file, "g", round), O_WRONLY | O_CREAT | O_TRUNC);
	if (have_openat2) {
		note(C_CLOSE, K_OK, syscall(SYS_close, do_open(C_OPENAT2, K_OK, data, O_RDONLY)), 0, 0);
		do_open(C_OPENAT2, K_MISSING, missing, O_RDONLY);
	}
}

/* One direction's five syscalls, in the order of its enum call entries (read, pread64, readv, preadv, preadv2). */
struct direction {
	enum call first;
	long plain, positional, vectored, positional_vectored, positional_vectored2;
};
static const struct direction reading = { C_READ, SYS_read, SYS_pread64, SYS_readv, SYS_preadv, SYS_preadv2 };
static const struct direction writing = { C_WRITE, SYS_write, SYS_pwrite64, SYS_writev, SYS_pwritev, SYS_pwritev2 };

/* Every variant fails twice: on a descriptor that is not open, and on one opened for the other direction. */
static void failures(const struct direction *d, int other_direction_fd, struct iovec iov[2])
{
	long vectored = (long)(iov[0].iov_len + iov[1].iov_len);

	for (int i = 0; i < 2; i++) {
		enum kind k = i ? K_WRONG_MODE : K_FD_NOT_OPEN;
		int fd = i ? other_direction_fd : NOT_OPEN;

		note(d->first, k, syscall(d->plain, fd, buf, 10), 10, 1);
		note(d->first + 1, k, syscall(d->positional, fd, buf, 10, 0), 10, 1);
		note(d->first + 2, k, syscall(d->vectored, fd, iov, 2), vectored, 1);
		note(d->first + 3, k, syscall(d->positional_vectored, fd, iov, 2, 0L, 0L), vectored, 1);
		note(d->first + 4, k, syscall(d->positional_vectored2, fd, iov, 2, 0L, 0L, 0), vectored, 1);
	}
}

/* Every read and write variant: successes of known sizes (some short at end of file), then the failures. */
static void reads(int rd, int rd2, int wr)
{
	struct iovec iov[2] = { { buf, 300 }, { buf + 300, 200 } };

	note(C_READ, K_OK, syscall(SYS_read, rd, buf, 1000), 1000, 1);
	note(C_READ, K_OK, syscall(SYS_read, rd, buf, 4096), 4096, 1); /* short: 2000 left */
	note(C_PREAD64, K_OK, syscall(SYS_pread64, rd, buf, 500, 100), 500, 1);
	note(C_PREAD64, K_OK, syscall(SYS_pread64, rd, buf, 4096, 2500), 4096, 1); /* short: 500 */
	/* The vectored offset is (low, high); offsets here are below 4 GiB, so high is 0 on every ABI. */
	note(C_READV, K_OK, syscall(SYS_readv, rd2, iov, 2), 500, 1);
	note(C_PREADV, K_OK, syscall(SYS_preadv, rd2, iov, 2, 1000L, 0L), 500, 1);
	note(C_PREADV2, K_OK, syscall(SYS_preadv2, rd2, iov, 2, 2900L, 0L, 0), 500, 1); /* short: 100 */
	failures(&reading, wr, iov);
}

static void writes(int wr, int wr2, int rd)
{
	struct iovec iov[2] = { { buf, 100 }, { buf + 100, 50 } };

	note(C_WRITE, K_OK, syscall(SYS_write, wr, buf, 700), 700, 1);
	note(C_PWRITE64, K_OK, syscall(SYS_pwrite64, wr, buf, 300, 700), 300, 1);
	note(C_WRITEV, K_OK, syscall(SYS_writev, wr, iov, 2), 150, 1);
	note(C_PWRITEV, K_OK, syscall(SYS_pwritev, wr2, iov, 2, 0L, 0L), 150, 1);
	note(C_PWRITEV2, K_OK, syscall(SYS_pwritev2, wr2, iov, 2, 150L, 0L, 0), 150, 1);
	failures(&writing, rd, iov);
}

static void unlinks(int round)
{
	const char *missing = missing_path, *dir = dir_path;
	char file[PATH_LEN], sub[PATH_LEN];

	make_path(sub, "r", round);

	/* unlink(2) where the architecture has it; unlinkat(2) elsewhere. */
#ifdef SYS_unlink
	note(C_UNLINK, K_OK, syscall(SYS_unlink, make_path(file, "f", round)), 0, 0);
	note(C_UNLINK, K_MISSING, syscall(SYS_unlink, missing), 0, 0);
	note(C_UNLINK, K_IS_DIR, syscall(SYS_unlink, dir), 0, 0);
#else
	note(C_UNLINKAT, K_OK, syscall(SYS_unlinkat, AT_FDCWD, make_path(file, "f", round), 0), 0, 0);
#endif
	note(C_UNLINKAT, K_OK, syscall(SYS_unlinkat, AT_FDCWD, make_path(file, "g", round), 0), 0, 0);
	note(C_UNLINKAT, K_MISSING, syscall(SYS_unlinkat, AT_FDCWD, missing, 0), 0, 0);
	note(C_UNLINKAT, K_IS_DIR, syscall(SYS_unlinkat, AT_FDCWD, dir, 0), 0, 0);
	/* Removing a directory is not a delete: mkdir(2) is not counted, unlinkat(AT_REMOVEDIR) must not be. */
	if (mkdir(sub, 0700) != 0)
		die("mkdir %s: %s", sub, strerror(errno));
	note(C_UNLINKAT, K_RMDIR, syscall(SYS_unlinkat, AT_FDCWD, sub, AT_REMOVEDIR), 0, 0);
}

static void *thread_main(void *arg)
{
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	return NULL;
}

/*
 * pthread_join returns when the kernel clears the thread's tid (in exit_mm), before the thread has run
 * exit_notify and release_task. Its /proc/self/task entry goes when release_task unhashes it, so waiting
 * for that makes the exit and the release part of the measured section. access(2) is not a counted call.
 */
static void await_released(pid_t tid)
{
	char entry[64];

	snprintf(entry, sizeof(entry), "/proc/self/task/%d", tid);
	while (access(entry, F_OK) == 0)
		sched_yield();
	if (errno != ENOENT)
		die("access %s: %s", entry, strerror(errno));
}

/* A clone that must fail; if the kernel ever accepted it, the child leaves at once. */
static void failing_clone(enum call c, enum kind k, long ret)
{
	if (ret == 0)
		syscall(SYS_exit, 0);
	note(c, k, ret, 0, 0);
}

static void tasks(void)
{
	pid_t child, tid = 0;
	pthread_t thread;
	int status, err;

	/* glibc's fork() issues clone(2); the child makes no counted call before exit_group(2). */
	child = fork();
	if (child == 0)
		_exit(0);
	note(C_FORK, K_OK, child, 0, 0);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("fork child %d did not exit cleanly", child);
	tasks_exited++;
	tasks_released++; /* waitpid reaped it: release_task ran in this task */

	/* glibc >= 2.34 creates threads with clone3(2). */
	err = pthread_create(&thread, NULL, thread_main, &tid);
	errno = err;
	note(C_PTHREAD_CREATE, K_OK, err ? -1 : 0, 0, 0);
	if (pthread_join(thread, NULL) != 0)
		die("pthread_join failed");
	await_released(tid);
	tasks_exited++;
	tasks_released++;

	/* A thread without shared signal handlers, a process sharing handlers without the VM: both EINVAL. */
	failing_clone(C_CLONE, K_THREAD_EINVAL, syscall(SYS_clone, (long)CLONE_THREAD, 0L, 0L, 0L, 0L));
	failing_clone(C_CLONE, K_PROCESS_EINVAL, syscall(SYS_clone, (long)(CLONE_SIGHAND | SIGCHLD), 0L, 0L, 0L, 0L));
#ifdef SYS_clone3
	{
		/* clone_args smaller than its first version (64 bytes): refused before any task is copied. */
		uint64_t args[8] = { CLONE_THREAD };

		failing_clone(C_CLONE3, K_BAD_SIZE, syscall(SYS_clone3, args, sizeof(args[0])));
	}
#endif
}

static void round_of_calls(int round)
{
	int fds[4], i;

	opens(round, fds);
	reads(fds[0], fds[1], fds[2]);
	writes(fds[2], fds[3], fds[0]);
	for (i = 0; i < 4; i++)
		note(C_CLOSE, K_OK, syscall(SYS_close, fds[i]), 0, 0);
	note(C_CLOSE, K_FD_NOT_OPEN, syscall(SYS_close, NOT_OPEN), 0, 0);
	unlinks(round);
	tasks();
}

/* A barrier read: one byte from stdin. Returns what read(2) returned. */
static long barrier_read(struct tally *t)
{
	char byte;
	long ret = syscall(SYS_read, 0, &byte, 1);

	t->calls = 1;
	t->requested = 1;
	if (ret < 0)
		die("reading stdin: %s", strerror(errno));
	t->transferred = ret;
	return ret;
}

static void write_all(const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(1, text, len);

		if (n < 0)
			die("writing stdout: %s", strerror(errno));
		text += n;
		len -= (size_t)n;
	}
}

static void setup(void)
{
	const char *data = make_path(data_path, "data", 0), *dir = make_path(dir_path, "dir", 0);
	struct { uint64_t flags, mode, resolve; } how = { O_RDONLY, 0, 0 };
	int fd;
	long ret;

	make_path(missing_path, "missing", 0);
	if (access("/proc/self/task", F_OK) != 0)
		die("/proc is not mounted: the workload needs /proc/self/task to see its threads released");
	memset(buf, 'x', sizeof(buf));
	fd = open(data, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, buf, DATA_SIZE) != (ssize_t)DATA_SIZE || close(fd) != 0)
		die("creating %s: %s", data, strerror(errno));
	if (mkdir(dir, 0700) != 0)
		die("mkdir %s: %s", dir, strerror(errno));
#ifdef SYS_openat2
	/* openat2(2) exists from Linux 5.6: try it here, outside the measured section. */
	ret = syscall(SYS_openat2, AT_FDCWD, data, &how, sizeof(how));
	have_openat2 = ret >= 0;
	if (ret >= 0)
		close((int)ret);
	else if (errno != ENOSYS)
		die("openat2 %s: %s", data, strerror(errno));
#else
	(void)how;
	(void)ret;
#endif
}

/* Remove everything in the private directory: files, and the empty directories the workload made. */
static void cleanup(void)
{
	DIR *dir;
	struct dirent *entry;

	if (!workdir[0])
		return;
	dir = opendir(workdir);
	if (dir) {
		while ((entry = readdir(dir)) != NULL) {
			if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
				continue;
			if (unlinkat(dirfd(dir), entry->d_name, 0) != 0 && errno == EISDIR)
				unlinkat(dirfd(dir), entry->d_name, AT_REMOVEDIR);
		}
		closedir(dir);
	}
	rmdir(workdir);
	workdir[0] = '\0';
}

static size_t append(char *out, size_t used, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + used, size - used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - used)
		die("report longer than %zu bytes", size);
	return used + (size_t)n;
}

static size_t append_barrier(char *out, size_t used, size_t size, const char *name, const char *call,
			     const struct tally *t, int last)
{
	return append(out, used, size, "\"%s\":{\"call\":\"%s\",\"requested\":%ld,\"transferred\":%ld}%s",
		      name, call, t->requested, t->transferred, last ? "" : ",");
}

static void write_report(int rounds)
{
	static char out[16384];
	size_t used = 0;
	int c, k, first = 1;

	used = append(out, used, sizeof(out), "{\"event\":\"report\",\"version\":1,\"pid\":%d,\"rounds\":%d,\"calls\":[",
		      (int)getpid(), rounds);
	for (c = 0; c < N_CALLS; c++) {
		for (k = 0; k < N_KINDS; k++) {
			const struct tally *t = &tallies[c][k];

			if (t->calls == 0)
				continue;
			used = append(out, used, sizeof(out),
				      "%s{\"call\":\"%s\",\"kind\":\"%s\",\"calls\":%ld,\"failed\":%ld,\"requested\":%ld,\"transferred\":%ld}",
				      first ? "" : ",", call_names[c], kind_names[k], t->calls, t->failed, t->requested,
				      t->transferred);
			first = 0;
		}
	}
	used = append(out, used, sizeof(out), "],\"tasks\":{\"exited\":%ld,\"released\":%ld},\"barrier\":{",
		      tasks_exited, tasks_released);
	used = append_barrier(out, used, sizeof(out), "start", "read", &barrier_start, 0);
	used = append_barrier(out, used, sizeof(out), "done", "write", &barrier_done, 0);
	used = append_barrier(out, used, sizeof(out), "end", "read", &barrier_end, 1);
	used = append(out, used, sizeof(out), "}}\n");
	write_all(out, used);
}

static void usage(const char *why)
{
	fprintf(stderr, "workload: %s\nUSAGE: workload [--rounds N (1-10000)] [--dir PARENT]\n", why);
	exit(64);
}

int main(int argc, char **argv)
{
	const char *parent = getenv("TMPDIR");
	char ready[64];
	long rounds = 1, done;
	int i;

	for (i = 1; i < argc; i++) {
		char *end;

		if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
			rounds = strtol(argv[++i], &end, 10);
			if (*argv[i] == '\0' || *end != '\0' || rounds < 1 || rounds > 10000)
				usage("--rounds takes a whole number from 1 to 10000");
		} else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
			parent = argv[++i];
		} else {
			usage("unknown argument");
		}
	}
	if (!parent || !*parent)
		parent = "/tmp";
	if ((size_t)snprintf(workdir, sizeof(workdir), "%s/workload.XXXXXX", parent) >= sizeof(workdir) - 64)
		usage("--dir path is too long");
	if (!mkdtemp(workdir)) {
		workdir[0] = '\0';
		die("mkdtemp under %s: %s", parent, strerror(errno));
	}
	/* A runner that goes away must not kill us before cleanup: writes then fail with EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
	setup();

	snprintf(ready, sizeof(ready), "{\"event\":\"ready\",\"pid\":%d}\n", (int)getpid());
	write_all(ready, strlen(ready));
	if (barrier_read(&barrier_start) == 0) {
		cleanup();
		fputs("workload: stdin closed before the start barrier: nothing done\n", stderr);
		return 3;
	}

	for (i = 0; i < rounds; i++)
		round_of_calls(i);

	/* One write(2) of a fixed line: the report accounts for it as the "done" barrier call. */
	done = syscall(SYS_write, 1, DONE_LINE, strlen(DONE_LINE));
	if (done != (long)strlen(DONE_LINE))
		die("writing the done line: %s", done < 0 ? strerror(errno) : "short write");
	barrier_done = (struct tally){ 1, 0, (long)strlen(DONE_LINE), done };
	barrier_read(&barrier_end);

	write_report((int)rounds);
	cleanup();
	return 0;
}
