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
};

static struct keyed_state states[2];

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

// One system call for the whole table where the kernel has batched lookups (5.6+); -1 where it has not, and the
// caller walks the keys one by one.
static int read_batched(struct keyed_state *state, int map_fd, enum key_kind kind, unsigned int max_entries, int cpus)
{
	size_t size = key_size(kind);
	unsigned long long batch = 0;
	__u32 count = max_entries;
	int err;

	if (!state->batch_keys)
		state->batch_keys = calloc(max_entries, size);
	if (!state->batch_values)
		state->batch_values = calloc((size_t)max_entries * cpus, sizeof(struct totals));
	if (!state->batch_keys || !state->batch_values)
		return -1;
	err = bpf_map_lookup_batch(map_fd, NULL, &batch, state->batch_keys, state->batch_values, &count, NULL);
	// ENOENT: the table was read to its end within this one batch, as max_entries leaves room for all of it.
	if (err && errno != ENOENT)
		return -1;
	for (__u32 i = 0; i < count; i++) {
		memcpy(&state->next[i].key, state->batch_keys + i * size, size);
		add_cpus(&state->next[i], state->batch_values + (size_t)i * cpus, cpus);
	}
	return (int)count;
}

static int read_one_by_one(int map_fd, enum key_kind kind, unsigned int max_entries, int cpus, struct keyed_entry *entries)
{
	struct totals *per_cpu = calloc(cpus, sizeof(*per_cpu));
	void *previous = NULL;
	struct keyed_entry next;
	int count = 0;

	if (!per_cpu)
		return -1;
	while ((unsigned int)count < max_entries && bpf_map_get_next_key(map_fd, previous, &next.key) == 0) {
		struct keyed_entry *entry = &entries[count];

		memcpy(&entry->key, &next.key, key_size(kind));
		previous = &entry->key;
		// A key deleted since get_next_key (its cgroup removed) is skipped.
		if (bpf_map_lookup_elem(map_fd, &entry->key, per_cpu) != 0)
			continue;
		add_cpus(entry, per_cpu, cpus);
		count++;
	}
	free(per_cpu);
	return count;
}

// Every key with its per-CPU values summed, sorted by key, into state->next; -1 when the map cannot be read.
static int read_entries(struct keyed_state *state, int map_fd, enum key_kind kind, unsigned int max_entries, int cpus)
{
	int count;

	if (!state->next)
		state->next = calloc(max_entries ? max_entries : 1, sizeof(*state->next));
	if (!state->last)
		state->last = calloc(max_entries ? max_entries : 1, sizeof(*state->last));
	if (!state->next || !state->last)
		return -1;
	count = read_batched(state, map_fd, kind, max_entries, cpus);
	if (count < 0)
		count = read_one_by_one(map_fd, kind, max_entries, cpus, state->next);
	if (count < 0)
		return -1;
	sorting_kind = kind;
	qsort(state->next, count, sizeof(*state->next), compare_keys);
	return count;
}

// The last print's value of a counter for a key: both lists sorted by key, walked together (*at moves on).
static unsigned long long printed_before(const struct keyed_state *state, int *at, const struct keyed_entry *entry, enum key_kind kind, int counter)
{
	while (*at < state->last_count && memcmp(&state->last[*at].key, &entry->key, key_size(kind)) < 0)
		(*at)++;
	if (*at < state->last_count && memcmp(&state->last[*at].key, &entry->key, key_size(kind)) == 0)
		return state->last[*at].sum.slot[counter];
	return 0;
}

int print_keyed(FILE *out, int map_fd, enum key_kind kind, unsigned int max_entries, const int *counters, int count)
{
	static const char *const key_names[] = { [KEY_CGROUP] = "cgroup", [KEY_COMM] = "comm" };
	struct keyed_state *state = &states[kind];
	int cpus = libbpf_num_possible_cpus();
	int entries_count;
	struct keyed_entry *entries;

	if (cpus <= 0)
		return -1;
	entries_count = read_entries(state, map_fd, kind, max_entries, cpus);
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
	return ferror(out) ? -1 : 0;
}
