// SPDX-License-Identifier: GPL-3.0-or-later
// Writes counters as bpftrace's JSON map prints, so one parser serves both backends.
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "process.h"
#include "report.h"

static const char *const counter_names[COUNTER_COUNT] = COUNTER_NAMES;

const char *counter_name(int counter)
{
	return counter_names[counter];
}

int counter_by_name(const char *name)
{
	for (int i = 0; i < COUNTER_COUNT; i++)
		if (strcmp(counter_names[i], name) == 0)
			return i;
	return -1;
}

int print_attached(FILE *out, int probes)
{
	fprintf(out, "{\"type\": \"attached_probes\", \"data\": {\"probes\": %d}}\n", probes);
	return fflush(out) == 0 ? 0 : -1;
}

int print_counters(FILE *out, int counters_fd, const int *counters, int count)
{
	int cpus = libbpf_num_possible_cpus();
	unsigned int key = 0;

	if (cpus <= 0)
		return -1;
	struct totals per_cpu[cpus];
	if (bpf_map_lookup_elem(counters_fd, &key, per_cpu) != 0)
		return -1;
	for (int i = 0; i < count; i++) {
		unsigned long long total = 0;

		for (int cpu = 0; cpu < cpus; cpu++)
			total += per_cpu[cpu].slot[counters[i]];
		fprintf(out, "{\"type\": \"map\", \"data\": {\"@%s\": %llu}}\n", counter_names[counters[i]], total);
	}
	return ferror(out) ? -1 : 0;
}

int print_sample_end(FILE *out)
{
	// The bpftrace script ends each interval with the same printf("sample\n").
	fputs("{\"type\": \"printf\", \"data\": \"sample\\n\"}\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
