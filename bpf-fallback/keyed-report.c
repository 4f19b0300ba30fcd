// SPDX-License-Identifier: GPL-3.0-or-later
// Prints the per-cgroup and per-command-name totals as bpftrace prints a keyed map (`print(@open__cgroup)`):
// one line per counter holding every key, so one parser reads both backends.
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "keyed-report.h"
#include "report.h"

struct keyed_entry {
	union {
		unsigned long long cgroup;
		struct comm_key comm;
	} key;
	struct totals sum;
};

static void print_key(FILE *out, enum key_kind kind, const struct keyed_entry *entry)
{
	if (kind == KEY_CGROUP)
		fprintf(out, "\"%llu\"", entry->key.cgroup);
	else
		put_json_string(out, entry->key.comm.name, COMM_LEN);
}

// Every key with its per-CPU values summed; NULL with *count -1 when the map cannot be read.
// The key's totals per CPU, from its hash entry or its slot; nonzero when it is gone (its cgroup removed).
static int lookup_totals(struct keyed_maps maps, const void *key, struct totals *per_cpu)
{
	unsigned int slot;

	if (maps.slots < 0)
		return bpf_map_lookup_elem(maps.keys, key, per_cpu);
	return bpf_map_lookup_elem(maps.keys, key, &slot) || bpf_map_lookup_elem(maps.slots, &slot, per_cpu);
}

static struct keyed_entry *read_entries(struct keyed_maps maps, enum key_kind kind, unsigned int max_entries, int cpus, int *count)
{
	size_t key_size = kind == KEY_CGROUP ? sizeof(unsigned long long) : sizeof(struct comm_key);
	struct keyed_entry *entries = calloc(max_entries ? max_entries : 1, sizeof(*entries));
	struct totals *per_cpu = calloc(cpus, sizeof(*per_cpu));
	void *previous = NULL;
	struct keyed_entry next;

	*count = 0;
	if (!entries || !per_cpu)
		goto fail;
	while ((unsigned int)*count < max_entries && bpf_map_get_next_key(maps.keys, previous, &next.key) == 0) {
		struct keyed_entry *entry = &entries[*count];

		memcpy(&entry->key, &next.key, key_size);
		previous = &entry->key;
		// A key deleted since get_next_key (its cgroup removed) is skipped.
		if (lookup_totals(maps, &entry->key, per_cpu) != 0)
			continue;
		memset(&entry->sum, 0, sizeof(entry->sum));
		for (int cpu = 0; cpu < cpus; cpu++)
			for (int slot = 0; slot < COUNTER_COUNT; slot++)
				entry->sum.slot[slot] += per_cpu[cpu].slot[slot];
		(*count)++;
	}
	free(per_cpu);
	return entries;
fail:
	free(entries);
	free(per_cpu);
	*count = -1;
	return NULL;
}

int print_keyed(FILE *out, struct keyed_maps maps, enum key_kind kind, unsigned int max_entries, const int *counters, int count)
{
	static const char *const key_names[] = { [KEY_CGROUP] = "cgroup", [KEY_COMM] = "comm" };
	int cpus = libbpf_num_possible_cpus();
	int entries_count;
	struct keyed_entry *entries;

	if (cpus <= 0)
		return -1;
	entries = read_entries(maps, kind, max_entries, cpus, &entries_count);
	if (!entries)
		return -1;
	// As bpftrace prints its count maps, a key is left out of a counter it has not counted yet (the plugin reads
	// that as 0), except from the first counter: every key the table holds is printed once, so a cgroup given zero
	// totals when it was made is seen before its first event.
	for (int i = 0; i < count; i++) {
		bool first = true;

		fprintf(out, "{\"type\": \"map\", \"data\": {\"@%s__%s\": {", counter_name(counters[i]), key_names[kind]);
		for (int e = 0; e < entries_count; e++) {
			unsigned long long value = entries[e].sum.slot[counters[i]];

			if (value == 0 && i > 0)
				continue;
			fputs(first ? "" : ", ", out);
			first = false;
			print_key(out, kind, &entries[e]);
			fprintf(out, ": %llu", value);
		}
		fputs("}}}\n", out);
	}
	free(entries);
	return ferror(out) ? -1 : 0;
}
