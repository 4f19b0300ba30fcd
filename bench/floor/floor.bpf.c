// SPDX-License-Identifier: GPL-3.0-or-later
// The floor: the least a counter on a tracepoint can cost. One program, attached to every tracepoint the
// plan uses, adds one to a per-CPU slot and nothing else. The keyed floors are the least a counter kept per
// cgroup or per command name can cost: one lookup-or-insert in a per-CPU hash keyed by the cgroup id or the
// comm, and an add (the host slot is not counted beside it: the keyed floor is that one keyed add alone).
// vmlinux.h, not linux/bpf.h: the local-storage map types and task_struct's fields are newer than the build
// host's headers may be.
#include "vmlinux.h"
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

/*
 * The local-storage candidates (docs/performance.md, "Keyed counting without a hash"): a slot number kept
 * where the kernel finds it without hashing, into a per-CPU array of as many slots as the table has. A slot is
 * given on a key's first event from a hash of key to slot (the cost of a first event only) and never freed here:
 * the floor measures the steady state, an event whose task or cgroup already holds its slot.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} slot_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct comm_key);
	__type(value, __u32);
} slot_of_key SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u32);
} task_slot SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGRP_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u32);
} cgroup_slot SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGRP_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} cgroup_total SEC(".maps");

__u32 next_slot;
const volatile __u32 slots = 1;

// The key's slot, given on its first event; slots when the table is full (not counted).
static __always_inline __u32 slot_of(const struct comm_key *key)
{
	__u32 *known = bpf_map_lookup_elem(&slot_of_key, key);
	__u32 slot;

	if (known)
		return *known;
	slot = __sync_fetch_and_add(&next_slot, 1);
	if (slot >= slots)
		return slots;
	bpf_map_update_elem(&slot_of_key, key, &slot, BPF_NOEXIST);
	known = bpf_map_lookup_elem(&slot_of_key, key);
	return known ? *known : slots;
}

static __always_inline void slot_hit(__u32 slot)
{
	__u64 *total = bpf_map_lookup_elem(&slot_hits, &slot);

	if (total)
		(*total)++;
}

static __always_inline void task_slot_hit(int by_comm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 *slot = bpf_task_storage_get(&task_slot, task, 0, 0);

	if (!slot) {
		struct comm_key key = {};

		if (by_comm)
			bpf_get_current_comm(key.name, sizeof(key.name));
		else
			*(__u64 *)key.name = bpf_get_current_cgroup_id();
		slot = bpf_task_storage_get(&task_slot, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!slot)
			return;
		*slot = slot_of(&key);
	}
	slot_hit(*slot);
}

SEC("tracepoint")
int count_task_comm_hit(void *ctx)
{
	task_slot_hit(1);
	return 0;
}

SEC("tracepoint")
int count_task_cgroup_hit(void *ctx)
{
	task_slot_hit(0);
	return 0;
}

SEC("tracepoint")
int count_cgroup_slot_hit(void *ctx)
{
	struct cgroup *cgroup = bpf_get_current_task_btf()->cgroups->dfl_cgrp;
	__u32 *slot = bpf_cgrp_storage_get(&cgroup_slot, cgroup, 0, 0);

	if (!slot) {
		struct comm_key key = {};

		*(__u64 *)key.name = bpf_get_current_cgroup_id();
		slot = bpf_cgrp_storage_get(&cgroup_slot, cgroup, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!slot)
			return 0;
		*slot = slot_of(&key);
	}
	slot_hit(*slot);
	return 0;
}

// The cgroup's total in its own storage: shared by the CPUs, so added atomically.
SEC("tracepoint")
int count_cgroup_total_hit(void *ctx)
{
	struct cgroup *cgroup = bpf_get_current_task_btf()->cgroups->dfl_cgrp;
	__u64 *total = bpf_cgrp_storage_get(&cgroup_total, cgroup, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (total)
		__sync_fetch_and_add(total, 1);
	return 0;
}
