// SPDX-License-Identifier: GPL-3.0-or-later
// Prints the per-cgroup and per-command-name totals as bpftrace prints a keyed map (`print(@open__cgroup)`):
// one line per counter, so one parser reads both backends. The first line holds every key of the table (a cgroup
// given zero totals when it was made is seen before its first event); the others only the keys whose value of
// that counter changed since the last print: the plugin keeps each key's totals, and at 500 cgroups most are idle.
#include <errno.h>
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

// Per table: what the last print held, sorted by key, to tell what changed; the buffers the next read fills (kept
// from print to print: a table of thousands of keys is read every second).
struct keyed_state {
	struct keyed_entry *last, *next;
	int last_count;
	char *batch_keys;
	struct totals *batch_values;
	// With the slot cache: each key's slot, and the slot array's indexes as its batched read returns them.
	unsigned int *batch_slots, *slot_indexes;
};

static struct keyed_state states[2];
static const char *const key_names[] = { [KEY_CGROUP] = "cgroup", [KEY_COMM] = "comm" };

static size_t key_size(enum key_kind kind)
{
	return kind == KEY_CGROUP ? sizeof(unsigned long long) : sizeof(struct comm_key);
}

static enum key_kind sorting_kind;

static int compare_keys(const void *a, const void *b)
{
	return memcmp(&((const struct keyed_entry *)a)->key, &((const struct keyed_entry *)b)->key, key_size(sorting_kind));
}

static void print_key(FILE *out, enum key_kind kind, const struct keyed_entry *entry)
{
	if (kind == KEY_CGROUP)
		fprintf(out, "\"%llu\"", entry->key.cgroup);
	else
		put_json_string(out, entry->key.comm.name, COMM_LEN);
}

static void add_cpus(struct keyed_entry *entry, const struct totals *per_cpu, int cpus)
{
	memset(&entry->sum, 0, sizeof(entry->sum));
	for (int cpu = 0; cpu < cpus; cpu++)
		for (int slot = 0; slot < COUNTER_COUNT; slot++)
			entry->sum.slot[slot] += per_cpu[cpu].slot[slot];
}

// The key's totals per CPU, from its hash entry or its slot; nonzero when it is gone (its cgroup removed).
static int lookup_totals(struct keyed_maps maps, const void *key, struct totals *per_cpu)
{
	unsigned int slot;

	if (maps.slots < 0)
		return bpf_map_lookup_elem(maps.keys, key, per_cpu);
	return bpf_map_lookup_elem(maps.keys, key, &slot) || bpf_map_lookup_elem(maps.slots, &slot, per_cpu);
}

// One whole map in one system call where the kernel has batched lookups (5.6+); -1 where it has not. ENOENT means
// the map was read to its end within this one batch, as max_entries leaves room for all of it.
static int lookup_all(int map_fd, void *keys, void *values, unsigned int max_entries)
{
	unsigned long long batch = 0;
	__u32 count = max_entries;

	if (bpf_map_lookup_batch(map_fd, NULL, &batch, keys, values, &count, NULL) && errno != ENOENT)
		return -1;
	return (int)count;
}

// The whole table in one or two system calls: the keys with their totals, or, with the slot cache, the keys with
// their slots and then every slot's totals. -1 where batched lookups fail, and the caller walks the keys one by one.
static int read_batched(struct keyed_state *state, struct keyed_maps maps, enum key_kind kind, unsigned int max_entries, int cpus)
{
	size_t size = key_size(kind);
	int count;

	if (!state->batch_keys)
		state->batch_keys = calloc(max_entries, size);
	if (!state->batch_values)
		state->batch_values = calloc((size_t)max_entries * cpus, sizeof(struct totals));
	if (maps.slots >= 0 && !state->batch_slots)
		state->batch_slots = calloc(max_entries, sizeof(*state->batch_slots));
	if (maps.slots >= 0 && !state->slot_indexes)
		state->slot_indexes = calloc(max_entries, sizeof(*state->slot_indexes));
	if (!state->batch_keys || !state->batch_values || (maps.slots >= 0 && (!state->batch_slots || !state->slot_indexes)))
		return -1;
	if (maps.slots < 0)
		count = lookup_all(maps.keys, state->batch_keys, state->batch_values, max_entries);
	else if ((count = lookup_all(maps.keys, state->batch_keys, state->batch_slots, max_entries)) >= 0 &&
		 lookup_all(maps.slots, state->slot_indexes, state->batch_values, max_entries) < 0)
		count = -1;
	for (int i = 0; i < count; i++) {
		unsigned int at = maps.slots < 0 ? (unsigned int)i : state->batch_slots[i];

		memcpy(&state->next[i].key, state->batch_keys + i * size, size);
		add_cpus(&state->next[i], state->batch_values + (size_t)at * cpus, cpus);
	}
	return count;
}

static int read_one_by_one(struct keyed_maps maps, enum key_kind kind, unsigned int max_entries, int cpus, struct keyed_entry *entries)
{
	struct totals *per_cpu = calloc(cpus, sizeof(*per_cpu));
	void *previous = NULL;
	struct keyed_entry next;
	int count = 0;

	if (!per_cpu)
		return -1;
	while ((unsigned int)count < max_entries && bpf_map_get_next_key(maps.keys, previous, &next.key) == 0) {
		struct keyed_entry *entry = &entries[count];

		memcpy(&entry->key, &next.key, key_size(kind));
		previous = &entry->key;
		// A key deleted since get_next_key (its cgroup removed) is skipped.
		if (lookup_totals(maps, &entry->key, per_cpu) != 0)
			continue;
		add_cpus(entry, per_cpu, cpus);
		count++;
	}
	free(per_cpu);
	return count;
}

// Every key with its per-CPU values summed, sorted by key, into state->next; -1 when the map cannot be read.
static int read_entries(struct keyed_state *state, struct keyed_maps maps, enum key_kind kind, unsigned int max_entries, int cpus)
{
	int count;

	if (!state->next)
		state->next = calloc(max_entries ? max_entries : 1, sizeof(*state->next));
	if (!state->last)
		state->last = calloc(max_entries ? max_entries : 1, sizeof(*state->last));
	if (!state->next || !state->last)
		return -1;
	count = read_batched(state, maps, kind, max_entries, cpus);
	if (count < 0)
		count = read_one_by_one(maps, kind, max_entries, cpus, state->next);
	if (count < 0)
		return -1;
	sorting_kind = kind;
	qsort(state->next, count, sizeof(*state->next), compare_keys);
	return count;
}

// The last print's value of a counter for a key: both lists sorted by key, walked together (*at moves on).
static unsigned long long printed_before(const struct keyed_state *state, int *at, const struct keyed_entry *entry, enum key_kind kind,
					 int counter)
{
	while (*at < state->last_count && memcmp(&state->last[*at].key, &entry->key, key_size(kind)) < 0)
		(*at)++;
	if (*at < state->last_count && memcmp(&state->last[*at].key, &entry->key, key_size(kind)) == 0)
		return state->last[*at].sum.slot[counter];
	return 0;
}

// The events of the table that no key got, per counter: a per-CPU array element summed.
static int print_unkeyed(FILE *out, struct keyed_maps maps, enum key_kind kind, const int *counters, int count, int cpus)
{
	struct totals *per_cpu = calloc(cpus, sizeof(*per_cpu));
	struct keyed_entry sum;
	unsigned int index = kind;

	if (!per_cpu || bpf_map_lookup_elem(maps.unkeyed, &index, per_cpu)) {
		free(per_cpu);
		return -1;
	}
	add_cpus(&sum, per_cpu, cpus);
	free(per_cpu);
	fprintf(out, "{\"type\": \"map\", \"data\": {\"@unkeyed__%s\": {", key_names[kind]);
	for (int i = 0; i < count; i++)
		fprintf(out, "%s\"%s\": %llu", i ? ", " : "", counter_name(counters[i]), sum.sum.slot[counters[i]]);
	fputs("}}}\n", out);
	return 0;
}

int print_keyed(FILE *out, struct keyed_maps maps, enum key_kind kind, unsigned int max_entries, const int *counters, int count)
{
	struct keyed_state *state = &states[kind];
	int cpus = libbpf_num_possible_cpus();
	int entries_count;
	struct keyed_entry *entries;

	if (cpus <= 0)
		return -1;
	entries_count = read_entries(state, maps, kind, max_entries, cpus);
	if (entries_count < 0)
		return -1;
	entries = state->next;
	// As bpftrace prints its count maps, a key is left out of a counter it has not counted yet (the plugin reads
	// that as 0); past the first counter, also out of one whose total is what the last print said.
	for (int i = 0; i < count; i++) {
		bool first = true;
		int at = 0;

		fprintf(out, "{\"type\": \"map\", \"data\": {\"@%s__%s\": {", counter_name(counters[i]), key_names[kind]);
		for (int e = 0; e < entries_count; e++) {
			unsigned long long value = entries[e].sum.slot[counters[i]];

			if (i > 0 && value == printed_before(state, &at, &entries[e], kind, counters[i]))
				continue;
			fputs(first ? "" : ", ", out);
			first = false;
			print_key(out, kind, &entries[e]);
			fprintf(out, ": %llu", value);
		}
		fputs("}}}\n", out);
	}
	state->next = state->last;
	state->last = entries;
	state->last_count = entries_count;
	if (print_unkeyed(out, maps, kind, counters, count, cpus))
		return -1;
	return ferror(out) ? -1 : 0;
}
