// SPDX-License-Identifier: GPL-3.0-or-later
// Loads the floor program and attaches it to each tracepoint named on the command line ("syscalls:sys_enter_read").
// Prints "attached <n>" once every attach succeeded; then answers each "count" line on stdin with the hits
// so far (summed over CPUs), so the bench learns how many events a workload made. Exits when stdin closes.
#include <errno.h>
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

static int attach_all(struct floor_bpf *skel, int count, char **names)
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
		if (!bpf_program__attach_tracepoint(skel->progs.count_hit, category, colon + 1)) {
			int err = -errno;

			fprintf(stderr, "floor: attach %s: %s\n", names[i], strerror(-err));
			return err;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct floor_bpf *skel = floor_bpf__open_and_load();
	char line[64];
	int err;

	if (!skel) {
		fprintf(stderr, "floor: load: %s\n", strerror(errno));
		return 1;
	}
	err = attach_all(skel, argc - 1, argv + 1);
	if (!err) {
		printf("attached %d\n", argc - 1);
		fflush(stdout);
	}
	while (!err && fgets(line, sizeof(line), stdin))
		if (strncmp(line, "count", 5) == 0)
			err = print_hits(skel);
	floor_bpf__destroy(skel);
	return err ? 1 : 0;
}
