// SPDX-License-Identifier: GPL-3.0-or-later
// Loads only the programs the plan names, sets their targets at run time and attaches them. A program that
// cannot load (fentry refused, target missing from BTF) or attach is reported as a typed event (report.h),
// after the others were tried, so that one run tells the plugin everything to re-plan around.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "process.skel.h"
#include "attach.h"
#include "probe.h"
#include "report.h"

#define NAME "ebpf-process-helper"

enum kind { FENTRY, FEXIT, KPROBE, KRETPROBE, TRACEPOINT, UNKNOWN };
static const char *const kind_names[] = { "fentry", "fexit", "kprobe", "kretprobe", "tracepoint" };

// A tracepoint hooked raw (process.bpf.c says which and why) is still named and asked for as a tracepoint.
static bool hooked_raw(const struct bpf_program *prog)
{
	return strcmp(bpf_program__section_name(prog), "raw_tp") == 0;
}

static enum kind kind_of(const struct bpf_program *prog)
{
	const char *section = bpf_program__section_name(prog);

	if (hooked_raw(prog))
		return TRACEPOINT;
	for (int kind = FENTRY; kind < UNKNOWN; kind++)
		if (strcmp(section, kind_names[kind]) == 0)
			return kind;
	return UNKNOWN;
}

static const char *kind_name(const struct bpf_program *prog)
{
	return kind_names[kind_of(prog)];
}

// The object knows the kind of each program; the targets must have that kind's form.
static int check_request(struct bpf_program *prog, const struct request *request)
{
	enum kind kind = prog ? kind_of(prog) : UNKNOWN;

	if (kind == UNKNOWN || strncmp(request->program, "track_", 6) == 0) {
		fprintf(stderr, NAME ": unknown program '%s'; use a program of process.bpf.c\n", request->program);
		return EXIT_USAGE;
	}
	if ((kind == FENTRY || kind == FEXIT) && request->target_count != 1) {
		fprintf(stderr, NAME ": %s is an %s program: give it exactly one target\n", request->program, kind_names[kind]);
		return EXIT_USAGE;
	}
	for (int i = 0; i < request->target_count; i++) {
		bool ok = kind == TRACEPOINT ? valid_tracepoint_name(request->targets[i])
					     : valid_function_name(request->targets[i]) && !strchr(request->targets[i], ':');
		if (!ok) {
			fprintf(stderr, NAME ": %s takes %s targets, got '%s'\n", request->program,
				kind == TRACEPOINT ? "subsystem:event" : "kernel function", request->targets[i]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

static struct bpf_program *program(struct process_bpf *skel, const char *name)
{
	return bpf_object__find_program_by_name(skel->obj, name);
}

// Each key's table to its size: the slot cache's arrays, hashes and queues, or the per-CPU hash. A table left
// at one entry is not used.
static void size_keyed_tables(struct process_bpf *skel, const struct options *opts)
{
	struct { unsigned int size; struct bpf_map *maps[5]; } tables[] = {
		{ opts->cgroup_table_size, { skel->maps.cgroup_slot_totals, skel->maps.cgroup_slots, skel->maps.free_cgroup_slots,
					     skel->maps.freed_cgroup_slots } },
		{ opts->comm_table_size, { skel->maps.comm_slot_totals, skel->maps.comm_slots, skel->maps.free_comm_slots } },
	};

	if (!skel->rodata->slot_cache) {
		if (opts->cgroup_table_size)
			bpf_map__set_max_entries(skel->maps.cgroup_totals, opts->cgroup_table_size);
		if (opts->comm_table_size)
			bpf_map__set_max_entries(skel->maps.comm_totals, opts->comm_table_size);
		return;
	}
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (int m = 0; tables[t].size && m < 5 && tables[t].maps[m]; m++)
			bpf_map__set_max_entries(tables[t].maps[m], tables[t].size);
}

static void set_filters(struct process_bpf *skel, const struct options *opts)
{
	skel->rodata->filter_pid = opts->pid != 0;
	skel->rodata->filter_comm = opts->comm[0] != '\0';
	memcpy((char *)skel->rodata->comm_filter, opts->comm, COMM_LEN);
	skel->rodata->key_cgroup = opts->cgroup_table_size > 0;
	skel->rodata->key_comm = opts->comm_table_size > 0;
	skel->rodata->slot_cache = !opts->hash_keys && slot_cache_supported();
	skel->rodata->inherit_apps = opts->app_name_count > 0;
	memcpy((void *)skel->rodata->app_lengths, opts->app_lengths, sizeof(opts->app_lengths));
	if (opts->app_name_count)
		bpf_map__set_max_entries(skel->maps.app_names, opts->app_name_count);
	// Without the cache its task storage map is not made: 5.10 has no such map type, and the failed map
	// creation failed every program's load (EINVAL). The code using it is then dead, which libbpf allows.
	if (!skel->rodata->slot_cache)
		bpf_map__set_autocreate(skel->maps.task_keys, false);
	size_keyed_tables(skel, opts);
}

/*
 * Opens the object with autoload on for the requests not excluded (only `only` when it is >= 0). A
 * trampoline target missing from BTF fails here: it is reported and excluded. Returns an exit code.
 */
static int open_configured(const struct options *opts, bool *excluded, int only, struct process_bpf **out)
{
	// With --btf and only tracepoint/kprobe programs autoloaded, libbpf never reads the kernel's BTF.
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .btf_custom_path = opts->btf);
	struct process_bpf *skel = process_bpf__open_opts(&open_opts);
	struct bpf_program *prog;

	if (!skel) {
		fprintf(stderr, NAME ": cannot open the BPF object: %s\n", strerror(errno));
		return EXIT_FATAL;
	}
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, false);
	for (int i = 0; i < opts->request_count; i++) {
		const struct request *request = &opts->requests[i];
		int err;

		prog = program(skel, request->program);
		err = check_request(prog, request);
		if (err) {
			process_bpf__destroy(skel);
			return err;
		}
		if (excluded[i] || (only >= 0 && i != only))
			continue;
		bpf_program__set_autoload(prog, true);
		if (kind_of(prog) == FENTRY || kind_of(prog) == FEXIT) {
			err = bpf_program__set_attach_target(prog, 0, request->targets[0]);
			if (err) {
				report_attach_failed(request->program, kind_name(prog), request->targets[0], -err,
						     err == -ESRCH ? "not in the kernel's BTF" : NULL);
				excluded[i] = true;
				bpf_program__set_autoload(prog, false);
			}
		}
	}
	if (opts->pid)
		bpf_program__set_autoload(skel->progs.track_newtask, true);
	if (opts->pid || opts->app_name_count)
		bpf_program__set_autoload(skel->progs.track_free, true);
	bpf_program__set_autoload(skel->progs.track_app_fork, opts->app_name_count > 0);
	bpf_program__set_autoload(skel->progs.track_app_rename, opts->app_name_count > 0);
	set_filters(skel, opts);
	*out = skel;
	return 0;
}

// The whole load failed: load each program alone to find which ones the kernel refuses.
static int exclude_refused(const struct options *opts, bool *excluded)
{
	int refused = 0;

	for (int i = 0; i < opts->request_count; i++) {
		struct process_bpf *skel;
		int err;

		if (excluded[i] || open_configured(opts, excluded, i, &skel))
			continue;
		err = excluded[i] ? 0 : process_bpf__load(skel);
		if (err) {
			const struct request *request = &opts->requests[i];

			report_program_refused(request->program, kind_name(program(skel, request->program)), request->targets,
					       request->target_count, -err);
			excluded[i] = true;
			refused++;
		}
		process_bpf__destroy(skel);
	}
	return refused;
}

static int load(struct session *session, struct options *opts, bool *excluded)
{
	const char *dropped_btf = NULL; // the --btf the previous attempt failed with

	for (;;) {
		int err = open_configured(opts, excluded, -1, &session->skel);

		if (err)
			return err;
		err = process_bpf__load(session->skel);
		// Only a load that works without it shows the file was at fault, not a refused program.
		if (dropped_btf && !err)
			report_btf_rejected(dropped_btf);
		dropped_btf = NULL;
		if (!err)
			return 0;
		process_bpf__destroy(session->skel);
		session->skel = NULL;
		// A --btf made for another build of the object lacks types: CO-RE then fails and every program
		// would look refused. The kernel's own BTF decides instead, at the memory cost --btf avoids.
		if (opts->btf) {
			dropped_btf = opts->btf;
			opts->btf = NULL;
			continue;
		}
		if (exclude_refused(opts, excluded) == 0) {
			report_start_failed("load", -err);
			fprintf(stderr, NAME ": loading the BPF programs failed: %s; run with --verbose for the verifier log\n",
				strerror(-err));
			return EXIT_FATAL;
		}
	}
}

static struct bpf_link *attach_one(struct bpf_program *prog, const char *target)
{
	char category[256];
	const char *colon;

	switch (kind_of(prog)) {
	case KPROBE:
	case KRETPROBE:
		return bpf_program__attach_kprobe(prog, kind_of(prog) == KRETPROBE, target);
	case TRACEPOINT:
		colon = strchr(target, ':');
		if (hooked_raw(prog))
			return bpf_program__attach_raw_tracepoint(prog, colon + 1);
		snprintf(category, sizeof(category), "%.*s", (int)(colon - target), target);
		return bpf_program__attach_tracepoint(prog, category, colon + 1);
	default:
		return bpf_program__attach(prog); // fentry/fexit: the target was set before load
	}
}

static int keep_link(struct session *session, struct bpf_link *link)
{
	if (!link)
		return -errno;
	session->links[session->link_count++] = link;
	return 0;
}

// --pid: the process and its current threads; new tasks are added by track_newtask (attached first).
static int seed_tracked(struct session *session, int pid)
{
	int fd = bpf_map__fd(session->skel->maps.tracked);
	char path[64];
	unsigned char yes = 1;
	unsigned int id = pid;
	struct dirent *entry;
	DIR *tasks;

	bpf_map_update_elem(fd, &id, &yes, BPF_ANY);
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	tasks = opendir(path);
	if (!tasks) {
		fprintf(stderr, NAME ": process %d is gone (%s); start the helper for a running process\n", pid, strerror(errno));
		return EXIT_USAGE;
	}
	while ((entry = readdir(tasks)))
		if ((id = strtoul(entry->d_name, NULL, 10)) > 0)
			bpf_map_update_elem(fd, &id, &yes, BPF_ANY);
	closedir(tasks);
	return 0;
}

static int attach_tracking(struct session *session, struct bpf_program *prog, const char *tracepoint)
{
	int err = keep_link(session, attach_one(prog, tracepoint));

	if (err) {
		report_start_failed("follow_pid", -err);
		fprintf(stderr, NAME ": cannot follow --pid: tracepoint:%s (%s)\n", tracepoint, strerror(-err));
	}
	return err ? EXIT_FATAL : 0;
}

// The slot cache's free slots: every slot at start.
static int fill_free_slots(struct bpf_map *queue, unsigned int size)
{
	for (unsigned int slot = 0; slot < size; slot++)
		if (bpf_map_update_elem(bpf_map__fd(queue), NULL, &slot, BPF_ANY))
			return -errno;
	return 0;
}

// --app-names: the names in the kernel, then the hooks that decide where new and renamed tasks count, before any
// counting program is attached.
static int start_app_inheritance(struct session *session, const struct options *opts)
{
	unsigned char yes = 1;
	int err = 0;

	for (int i = 0; !err && i < opts->app_name_count; i++)
		err = bpf_map_update_elem(bpf_map__fd(session->skel->maps.app_names), &opts->app_names[i], &yes, BPF_ANY) ? -errno : 0;
	if (!err && opts->app_name_count)
		err = keep_link(session, attach_one(session->skel->progs.track_app_fork, "sched:sched_process_fork"));
	if (!err && opts->app_name_count)
		err = keep_link(session, attach_one(session->skel->progs.track_app_rename, "task:task_rename"));
	if (err) {
		report_start_failed("app_names", -err);
		fprintf(stderr, NAME ": cannot follow --app-names' groups from parent to child: %s\n", strerror(-err));
	}
	return err ? EXIT_FATAL : 0;
}

static int start_slot_cache(struct session *session, const struct options *opts)
{
	int err = 0;

	if (!session->skel->rodata->slot_cache)
		return 0;
	if (opts->cgroup_table_size)
		err = fill_free_slots(session->skel->maps.free_cgroup_slots, opts->cgroup_table_size);
	if (!err && opts->comm_table_size)
		err = fill_free_slots(session->skel->maps.free_comm_slots, opts->comm_table_size);
	if (err) {
		report_start_failed("slot_cache", -err);
		fprintf(stderr, NAME ": cannot fill the free slots of the keyed tables: %s\n", strerror(-err));
	}
	return err ? EXIT_FATAL : 0;
}

int start_session(struct session *session, const struct options *opts)
{
	bool excluded[MAX_REQUESTS] = { false };
	struct options loading = *opts; // load() may drop --btf
	bool failed = false;
	int err;

	memset(session, 0, sizeof(*session));
	err = load(session, &loading, excluded);
	// Before any program is attached: an event finds free slots from the first.
	if (!err)
		err = start_slot_cache(session, opts);
	if (!err)
		err = start_app_inheritance(session, opts);
	if (!err && opts->pid)
		err = attach_tracking(session, session->skel->progs.track_newtask, "task:task_newtask");
	if (!err && opts->pid)
		err = seed_tracked(session, opts->pid);
	if (err)
		return err;
	for (int i = 0; i < opts->request_count; i++) {
		struct bpf_program *prog = program(session->skel, opts->requests[i].program);

		failed |= excluded[i];
		session->loaded[i] = !excluded[i];
		for (int t = 0; !excluded[i] && t < opts->requests[i].target_count; t++) {
			err = keep_link(session, attach_one(prog, opts->requests[i].targets[t]));
			if (err)
				report_attach_failed(opts->requests[i].program, kind_name(prog), opts->requests[i].targets[t], -err, NULL);
			failed |= err != 0;
			session->probes += err == 0;
		}
	}
	// Last on sched_process_free, so that release_tp still sees the task it forgets.
	if ((opts->pid || opts->app_name_count) && attach_tracking(session, session->skel->progs.track_free, "sched:sched_process_free"))
		return EXIT_FATAL;
	return failed ? EXIT_ATTACH : 0;
}

void stop_session(struct session *session)
{
	for (int i = 0; i < session->link_count; i++)
		bpf_link__destroy(session->links[i]);
	process_bpf__destroy(session->skel);
	memset(session, 0, sizeof(*session));
}

struct keyed_maps keyed_maps(const struct session *session, enum key_kind kind)
{
	struct process_bpf *skel = session->skel;
	int unkeyed = bpf_map__fd(skel->maps.unkeyed_totals);

	if (!skel->rodata->slot_cache)
		return (struct keyed_maps){ bpf_map__fd(kind == KEY_CGROUP ? skel->maps.cgroup_totals : skel->maps.comm_totals), -1, unkeyed };
	return kind == KEY_CGROUP
		       ? (struct keyed_maps){ bpf_map__fd(skel->maps.cgroup_slots), bpf_map__fd(skel->maps.cgroup_slot_totals), unkeyed }
		       : (struct keyed_maps){ bpf_map__fd(skel->maps.comm_slots), bpf_map__fd(skel->maps.comm_slot_totals), unkeyed };
}

int recycle_cgroup_slots(const struct session *session)
{
	struct process_bpf *skel = session->skel;
	int cpus = libbpf_num_possible_cpus();
	struct totals *zero;
	unsigned int slot;
	bool returned = false;
	int err = 0;

	if (!skel->rodata->slot_cache || cpus <= 0)
		return cpus <= 0 ? -1 : 0;
	zero = calloc(cpus, sizeof(*zero));
	if (!zero)
		return -1;
	while (!err && bpf_map_lookup_and_delete_elem(bpf_map__fd(skel->maps.freed_cgroup_slots), NULL, &slot) == 0) {
		err = bpf_map_update_elem(bpf_map__fd(skel->maps.cgroup_slot_totals), &slot, zero, BPF_ANY) ||
		      bpf_map_update_elem(bpf_map__fd(skel->maps.free_cgroup_slots), NULL, &slot, BPF_ANY);
		returned = returned || !err;
	}
	// Tasks that found the table full look for a slot again on their next event (process.bpf.c).
	if (returned)
		__atomic_fetch_add(&skel->bss->cgroup_slots_returned, 1, __ATOMIC_RELEASE);
	free(zero);
	return err ? -1 : 0;
}

int counters_fd(const struct session *session)
{
	return bpf_map__fd(session->skel->maps.counters);
}

static void add_program(struct prog_entry *entry, struct bpf_program *prog, const char *const *targets, int count)
{
	entry->fd = bpf_program__fd(prog);
	entry->attach_count = count;
	for (int t = 0; t < count; t++)
		snprintf(entry->attach[t], STATS_NAME_LEN, "%s:%s", kind_name(prog), targets[t]);
}

int session_programs(const struct session *session, const struct options *opts, struct prog_entry *out)
{
	static const char *const newtask[] = { "task:task_newtask" }, *const task_free[] = { "sched:sched_process_free" };
	static const char *const fork[] = { "sched:sched_process_fork" }, *const rename[] = { "task:task_rename" };
	int count = 0;

	for (int i = 0; i < opts->request_count; i++)
		if (session->loaded[i])
			add_program(&out[count++], program(session->skel, opts->requests[i].program), opts->requests[i].targets,
				    opts->requests[i].target_count);
	// --pid's tracking runs on every task created and freed: part of the cost, on the process tracepoints.
	if (opts->pid)
		add_program(&out[count++], session->skel->progs.track_newtask, newtask, 1);
	if (opts->pid || opts->app_name_count)
		add_program(&out[count++], session->skel->progs.track_free, task_free, 1);
	// --app-names' hooks run on every task created and renamed.
	if (opts->app_name_count) {
		add_program(&out[count++], session->skel->progs.track_app_fork, fork, 1);
		add_program(&out[count++], session->skel->progs.track_app_rename, rename, 1);
	}
	return count;
}
