// SPDX-License-Identifier: GPL-3.0-or-later
// Loads the floor program and attaches it to each tracepoint named on the command line ("syscalls:sys_enter_read").
// `--key <store> <entries>` attaches a keyed floor instead (its hits are read from the kernel's statistics, not
// here): cgroup or comm, a per-CPU hash of that many entries keyed by the cgroup id or the command name; task-cgroup
// or task-comm, a slot into a per-CPU array cached in task local storage; cgroup-slot, that slot in cgroup local
// storage; cgroup-total, the cgroup's total itself in its local storage (floor.bpf.c).
// Prints "attached <n>" once every attach succeeded; then answers each "count" line on stdin with the hits
// so far (summed over CPUs), so the bench learns how many events a workload made. Exits when stdin closes.
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static int print_hits(struct floor_bpf *skel)
{
	int cpus = libbpf_num_possible_cpus();
	__u64 *values = calloc(cpus > 0 ? cpus : 1, sizeof(*values));
	__u32 slot = 0;
	__u64 sum = 0;
	int err;

	if (!values)
		return -ENOMEM;
	err = bpf_map__lookup_elem(skel->maps.hits, &slot, sizeof(slot), values, sizeof(*values) * cpus, 0);
	for (int cpu = 0; !err && cpu < cpus; cpu++)
		sum += values[cpu];
	free(values);
	if (err)
		return err;
	printf("%llu\n", (unsigned long long)sum);
	fflush(stdout);
	return 0;
}

static int attach_all(struct bpf_program *program, int count, char **names)
{
	for (int i = 0; i < count; i++) {
		char category[128];
		const char *colon = strchr(names[i], ':');

		if (!colon || (size_t)(colon - names[i]) >= sizeof(category)) {
			fprintf(stderr, "floor: %s is not category:name\n", names[i]);
			return -EINVAL;
		}
		snprintf(category, sizeof(category), "%.*s", (int)(colon - names[i]), names[i]);
		// The links are never destroyed by hand: they go with the process.
		if (!bpf_program__attach_tracepoint(program, category, colon + 1)) {
			int err = -errno;

			fprintf(stderr, "floor: attach %s: %s\n", names[i], strerror(-err));
			return err;
		}
	}
	return 0;
}

// The keyed floors by the name --key gives: the program, and the table it sizes to `entries`.
struct keyed_floor {
	const char *key;
	struct bpf_program *program;
	struct bpf_map *table;
};

// The program to attach: the plain floor, or a keyed one with its table sized to `entries`. Only that program is
// loaded, so a candidate this kernel refuses fails alone.
static struct bpf_program *choose_program(struct floor_bpf *skel, const char *key, long entries)
{
	const struct keyed_floor floors[] = {
		{ "cgroup", skel->progs.count_cgroup_hit, skel->maps.cgroup_hits },
		{ "comm", skel->progs.count_comm_hit, skel->maps.comm_hits },
		{ "task-cgroup", skel->progs.count_task_cgroup_hit, skel->maps.slot_hits },
		{ "task-comm", skel->progs.count_task_comm_hit, skel->maps.slot_hits },
		{ "cgroup-slot", skel->progs.count_cgroup_slot_hit, skel->maps.slot_hits },
		{ "cgroup-total", skel->progs.count_cgroup_total_hit, NULL },
	};
	const struct keyed_floor *chosen = NULL;
	struct bpf_program *program;

	for (size_t i = 0; key && i < sizeof(floors) / sizeof(floors[0]); i++)
		if (strcmp(key, floors[i].key) == 0)
			chosen = &floors[i];
	if (key && (!chosen || entries < 1 || entries > 1000000)) {
		fprintf(stderr, "floor: --key takes cgroup, comm, task-cgroup, task-comm, cgroup-slot or cgroup-total "
				"and a table size of 1-1000000, got %s %ld\n", key, entries);
		return NULL;
	}
	bpf_object__for_each_program(program, skel->obj)
		bpf_program__set_autoload(program, program == skel->progs.count_hit || (chosen && program == chosen->program));
	if (!chosen)
		return skel->progs.count_hit;
	// The slot floors' hash of key to slot is as large as their array of slots.
	if (chosen->table == skel->maps.slot_hits && bpf_map__set_max_entries(skel->maps.slot_of_key, (__u32)entries))
		return NULL;
	if (chosen->table && bpf_map__set_max_entries(chosen->table, (__u32)entries))
		return NULL;
	skel->rodata->slots = (__u32)entries;
	return chosen->program;
}

int main(int argc, char **argv)
{
	bool keyed = argc > 3 && strcmp(argv[1], "--key") == 0;
	struct floor_bpf *skel = floor_bpf__open();
	struct bpf_program *program = skel ? choose_program(skel, keyed ? argv[2] : NULL, keyed ? atol(argv[3]) : 0) : NULL;
	int first = keyed ? 4 : 1;
	char line[64];
	int err;

	if (!program) {
		if (!skel)
			fprintf(stderr, "floor: open: %s\n", strerror(errno));
		floor_bpf__destroy(skel);
		return 2;
	}
	if (floor_bpf__load(skel)) {
		fprintf(stderr, "floor: load: %s\n", strerror(errno));
		floor_bpf__destroy(skel);
		return 1;
	}
	err = attach_all(program, argc - first, argv + first);
	if (!err) {
		printf("attached %d\n", argc - first);
		fflush(stdout);
	}
	while (!err && fgets(line, sizeof(line), stdin))
		if (strncmp(line, "count", 5) == 0)
			err = print_hits(skel);
	floor_bpf__destroy(skel);
	return err ? 1 : 0;
}
