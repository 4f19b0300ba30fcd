// SPDX-License-Identifier: GPL-3.0-or-later
// Parses and validates the command line; every value that reaches the kernel is checked here first.
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <bpf/btf.h>
#include "options.h"
#include "report.h"

#define NAME "ebpf-process-helper"
#define FUNCTION_NAME_MAX 127
#define TRACEPOINT_NAME_MAX 255
// A limit of limits.gen.h as a string literal, for the messages.
#define STR_(x) #x
#define STR(x) STR_(x)

static const char usage[] =
	"usage: " NAME " [--interval-ms MS] [--pid PID] [--comm NAME] [--btf FILE] [--self-stats] [--verbose]\n"
	"       [--per-cgroup ENTRIES] [--per-comm ENTRIES] [--hash-keys] [--app-names KIND:HEX[,KIND:HEX...]]\n"
	"       --counters ID[,ID...] PROGRAM=TARGET[,TARGET...] ...\n"
	"       " NAME " --probe [SUBSYSTEM:EVENT ...]\n"
	"       " NAME " --stats-of PID | --skips-of PID\n"
	"Counts with the BPF programs of process.bpf.c and prints bpftrace-style JSON lines every interval;\n"
	"attach failures and other events are JSON lines too ({\"event\": ...}), told on stderr as well.\n"
	"  --interval-ms MS  print every MS milliseconds, " STR(INTERVAL_MS_MIN) "-" STR(INTERVAL_MS_MAX) " (default 1000)\n"
	"  --pid PID         count only process PID and the tasks it creates from now on\n"
	"  --comm NAME       count only tasks named NAME (1-" STR(COMM_NAME_MAX) " characters from " COMM_CHARS_TEXT ")\n"
	"  --btf FILE        relocate against FILE instead of the kernel's BTF: a minimal BTF that\n"
	"                    `bpftool gen min_core_btf` made for this kernel and this helper's object.\n"
	"                    Saves reading the whole kernel BTF (~11 MB of memory) with tracepoint programs\n"
	"  --self-stats      turn on the kernel's BPF run-time statistics while running: the prog_stats\n"
	"                    line printed before every sample then has each program's run time and run\n"
	"                    count (without it, only the runs the kernel skipped, which it always counts)\n"
	"  --per-cgroup N    also count per cgroup v2 id, in a table of N entries (1-" STR(KEY_TABLE_MAX) "); a cgroup that\n"
	"                    finds it full is counted on the host only. Printed as @<counter>__cgroup maps\n"
	"  --per-comm N      the same per command name (@<counter>__comm)\n"
	"  --hash-keys       keep those totals in per-CPU hashes (a lookup per event) even where the kernel\n"
	"                    has task local storage, which caches each task's slots (--probe: task_storage)\n"
	"  --app-names LIST  with --per-comm: apps_groups.conf's names, KIND:HEX each (KIND e exact, p prefix,\n"
	"                    s suffix, i substring; HEX the name's 1-" STR(COMM_NAME_MAX) " bytes), at most " STR(APP_NAMES_MAX) ". A task\n"
	"                    whose own name matches none counts under its nearest matching ancestor's name\n"
	"  --counters IDS    the counters to print, e.g. open,open_error\n"
	"  PROGRAM=TARGETS   a program and its targets: kernel functions (read_fentry=vfs_read)\n"
	"                    or tracepoints (read_tp_enter=syscalls:sys_enter_read,syscalls:sys_enter_pread64)\n"
	"  --probe           print one JSON line: tracefs, which of the tracepoints exist, whether BPF\n"
	"                    programs load and whether fentry loads and attaches; nothing stays loaded\n"
	"  --stats-of PID    turn on the run-time statistics and, for every line read on stdin, print a\n"
	"                    prog_stats line of the programs PID has attached (bpftrace's); needs root\n"
	"  --skips-of PID    the same without turning the run-time statistics on: for the runs the kernel\n"
	"                    skipped (recursion_misses), which it counts regardless\n"
	"See bpf-fallback/README.md.\n";

static int usage_error(const char *what, const char *value, const char *fix)
{
	fprintf(stderr, NAME ": %s: '%s'; %s (see --help)\n", what, value, fix);
	return -1;
}

static bool parse_number(const char *text, long min, long max, long *out)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno || end == text || *end || !isdigit((unsigned char)text[0]) || value < min || value > max)
		return false;
	*out = value;
	return true;
}

bool valid_function_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > FUNCTION_NAME_MAX || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return false;
	// Compiler clones such as vfs_read.constprop.0 keep their dot.
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") == len;
}

bool valid_tracepoint_name(const char *name)
{
	const char *colon = strchr(name, ':');
	const char *allowed = "abcdefghijklmnopqrstuvwxyz0123456789_";
	size_t len = strlen(name);

	if (!colon || colon == name || !colon[1] || len > TRACEPOINT_NAME_MAX)
		return false;
	return strspn(name, allowed) == (size_t)(colon - name) && strspn(colon + 1, allowed) == strlen(colon + 1);
}

static int parse_comm(const char *text, struct options *opts)
{
	size_t len = strlen(text);

	if (len == 0 || len >= COMM_LEN)
		return usage_error("--comm must be 1-" STR(COMM_NAME_MAX) " characters (the kernel keeps " STR(COMM_NAME_MAX) ")", text,
				   "give the name ps -o comm shows");
	if (strspn(text, COMM_CHARS) != len)
		return usage_error("--comm holds a character other than " COMM_CHARS_TEXT, text, "use the name ps shows");
	memcpy(opts->comm, text, len + 1);
	return 0;
}

// A file that is not BTF would make every program fail to load, which the plugin would take for refused
// attach points: refuse it here instead. Whether it matches this kernel is the caller's job (it cannot be
// told without reading the kernel's BTF, which --btf exists to avoid).
static int parse_btf(const char *path, struct options *opts)
{
	struct stat st;
	struct btf *btf;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return usage_error("--btf is not a readable file", path, "give the minimal BTF made for this kernel, or leave --btf out");
	btf = btf__parse(path, NULL);
	if (!btf)
		return usage_error("--btf is not a BTF file", path, "regenerate it (ebpf-process install, or scripts/setup.sh) or leave --btf out");
	btf__free(btf);
	opts->btf = path;
	return 0;
}

static int hex_digit(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// KIND:HEX,...: each name's bytes in lowercase hex, so that any name the file holds (spaces, colons) passes as is.
static int parse_app_names(char *text, struct options *opts)
{
	static const char kinds[APP_KINDS] = { [APP_EXACT] = 'e', [APP_PREFIX] = 'p', [APP_SUFFIX] = 's', [APP_SUBSTRING] = 'i' };

	opts->app_names = calloc(APP_NAMES_MAX, sizeof(*opts->app_names));
	if (!opts->app_names) {
		perror(NAME);
		exit(1);
	}
	for (char *item = strtok(text, ","); item; item = strtok(NULL, ",")) {
		struct app_name *name = &opts->app_names[opts->app_name_count];
		const char *kind = item[0] ? memchr(kinds, item[0], APP_KINDS) : NULL;
		size_t digits = strlen(item) - 2;

		if (opts->app_name_count == APP_NAMES_MAX)
			return usage_error("too many --app-names", item, "give at most " STR(APP_NAMES_MAX));
		if (!kind || item[1] != ':' || digits < 2 || digits % 2 || digits / 2 > COMM_NAME_MAX)
			return usage_error("--app-names takes KIND:HEX", item, "KIND is e, p, s or i; HEX a name of 1-" STR(COMM_NAME_MAX) " bytes");
		name->kind = kind - kinds;
		name->length = digits / 2;
		for (size_t i = 0; i < name->length; i++) {
			int high = hex_digit(item[2 + 2 * i]), low = hex_digit(item[3 + 2 * i]);

			if (high < 0 || low < 0 || (high == 0 && low == 0))
				return usage_error("--app-names holds a byte that is not lowercase hex, or a NUL", item, "encode each byte as two of 0-9a-f");
			name->name.name[i] = (char)(high * 16 + low);
		}
		opts->app_lengths[name->kind] |= 1U << name->length;
		opts->app_name_count++;
	}
	return opts->app_name_count ? 0 : usage_error("--app-names is empty", text, "give at least one name or leave it out");
}

static int parse_counters(char *text, struct options *opts)
{
	for (char *name = strtok(text, ","); name; name = strtok(NULL, ",")) {
		int counter = counter_by_name(name);

		if (counter < 0)
			return usage_error("unknown counter", name, "use the ids of src/plan/counters.ts");
		for (int i = 0; i < opts->counter_count; i++)
			if (opts->counters[i] == counter)
				return usage_error("counter given twice", name, "list it once");
		opts->counters[opts->counter_count++] = counter;
	}
	return opts->counter_count ? 0 : usage_error("--counters is empty", text, "name at least one counter");
}

static int parse_request(char *text, struct options *opts)
{
	char *equals = strchr(text, '=');
	struct request *request = &opts->requests[opts->request_count];

	if (opts->request_count == MAX_REQUESTS)
		return usage_error("too many programs", text, "give at most 64");
	if (!equals || equals == text || !equals[1])
		return usage_error("expected PROGRAM=TARGET[,TARGET...]", text, "name a program and its targets");
	*equals = '\0';
	if (!valid_function_name(text))
		return usage_error("bad program name", text, "use a name of process.bpf.c");
	for (int i = 0; i < opts->request_count; i++)
		if (strcmp(opts->requests[i].program, text) == 0)
			return usage_error("program given twice", text, "give all its targets in one argument");
	request->program = text;
	request->target_count = 0;
	for (char *target = strtok(equals + 1, ","); target; target = strtok(NULL, ",")) {
		if (request->target_count == MAX_TARGETS)
			return usage_error("too many targets", request->program, "give at most 8 per program");
		if (!valid_function_name(target) && !valid_tracepoint_name(target))
			return usage_error("bad target", target, "use a kernel function or subsystem:event");
		request->targets[request->target_count++] = target;
	}
	if (!request->target_count)
		return usage_error("no target", request->program, "name at least one");
	opts->request_count++;
	return 0;
}

static char *copy(const char *text)
{
	char *copied = strdup(text);

	if (!copied) {
		perror(NAME);
		exit(1);
	}
	return copied;
}

int parse_options(int argc, char **argv, struct options *opts)
{
	static const struct option long_options[] = {
		{ "interval-ms", required_argument, NULL, 'i' }, { "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' }, { "counters", required_argument, NULL, 'n' },
		{ "btf", required_argument, NULL, 'b' }, { "self-stats", no_argument, NULL, 's' }, { "verbose", no_argument, NULL, 'v' },
		{ "per-cgroup", required_argument, NULL, 'G' }, { "per-comm", required_argument, NULL, 'C' },
		{ "hash-keys", no_argument, NULL, 'H' }, { "app-names", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	long value;
	int option;

	memset(opts, 0, sizeof(*opts));
	opts->interval_ms = 1000;
	while ((option = getopt_long(argc, argv, "+i:p:c:n:b:svG:C:HA:h", long_options, NULL)) != -1) {
		switch (option) {
		case 'i':
			if (!parse_number(optarg, INTERVAL_MS_MIN, INTERVAL_MS_MAX, &value))
				return usage_error("--interval-ms must be an integer " STR(INTERVAL_MS_MIN) "-" STR(INTERVAL_MS_MAX), optarg,
						   "fix the value");
			opts->interval_ms = value;
			break;
		case 'p':
			if (!parse_number(optarg, 1, PID_MAX, &value))
				return usage_error("--pid must be an integer 1-" STR(PID_MAX), optarg, "give a process id");
			opts->pid = value;
			break;
		case 'c':
			if (parse_comm(optarg, opts))
				return -1;
			break;
		case 'n':
			// Split copies, so that ps still shows the command line as given.
			if (parse_counters(copy(optarg), opts))
				return -1;
			break;
		case 'b':
			if (parse_btf(optarg, opts))
				return -1;
			break;
		case 's':
			opts->self_stats = true;
			break;
		case 'v':
			opts->verbose = true;
			break;
		case 'G':
		case 'C':
			if (!parse_number(optarg, 1, KEY_TABLE_MAX, &value))
				return usage_error("--per-cgroup and --per-comm take a table size 1-" STR(KEY_TABLE_MAX), optarg, "fix the value");
			*(option == 'G' ? &opts->cgroup_table_size : &opts->comm_table_size) = value;
			break;
		case 'H':
			opts->hash_keys = true;
			break;
		case 'A':
			if (opts->app_names)
				return usage_error("--app-names given twice", optarg, "give every name in one list");
			if (parse_app_names(copy(optarg), opts))
				return -1;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			fputs(usage, stderr);
			return -1;
		}
	}
	if (!opts->counter_count)
		return usage_error("--counters is missing", "", "name the counters to print");
	for (int i = optind; i < argc; i++)
		if (parse_request(copy(argv[i]), opts))
			return -1;
	if (!opts->request_count)
		return usage_error("no program", "", "give at least one PROGRAM=TARGET");
	if (opts->app_name_count && !opts->comm_table_size)
		return usage_error("--app-names without --per-comm", "", "count per command name too, or leave --app-names out");
	return 0;
}
