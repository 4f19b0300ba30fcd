// SPDX-License-Identifier: GPL-3.0-or-later
// The floor: the least a counter on a tracepoint can cost. One program, attached to every tracepoint the
// plan uses, adds one to a per-CPU slot and nothing else. The keyed floors are the least a counter kept per
// cgroup or per command name can cost: one lookup-or-insert in a per-CPU hash keyed by the cgroup id or the
// comm, and an add (the host slot is not counted beside it: the keyed floor is that one keyed add alone).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

struct comm_key {
	char name[16];
};

// Sized by floor.c (--entries) before load, as the plugin sizes its tables.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u64);
} cgroup_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, struct comm_key);
	__type(value, __u64);
} comm_hits SEC(".maps");

SEC("tracepoint")
int count_hit(void *ctx)
{
	__u32 slot = 0;
	__u64 *total = bpf_map_lookup_elem(&hits, &slot);

	if (total)
		(*total)++;
	return 0;
}

static __always_inline void keyed_hit(void *map, const void *key)
{
	__u64 *total = bpf_map_lookup_elem(map, key);
	__u64 zero = 0;

	if (!total) {
		bpf_map_update_elem(map, key, &zero, BPF_NOEXIST);
		total = bpf_map_lookup_elem(map, key);
	}
	if (total)
		(*total)++;
}

SEC("tracepoint")
int count_cgroup_hit(void *ctx)
{
	__u64 cgroup = bpf_get_current_cgroup_id();

	keyed_hit(&cgroup_hits, &cgroup);
	return 0;
}

SEC("tracepoint")
int count_comm_hit(void *ctx)
{
	struct comm_key comm = {};

	bpf_get_current_comm(comm.name, sizeof(comm.name));
	keyed_hit(&comm_hits, &comm);
	return 0;
}
