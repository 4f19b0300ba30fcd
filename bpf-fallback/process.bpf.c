// SPDX-License-Identifier: GPL-3.0-or-later
// What the helper's BPF programs share: the counters map, the task filter and the stash. The programs
// themselves are generated from the probe catalogue (src/plan/catalogue.ts) into .output/programs.gen.h,
// one per group and attach kind the plan can choose. No program names its target: the helper enables only
// what the plan asks for and sets the targets at run time, so a renamed kernel function needs no rebuild.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "process.h"

char LICENSE[] SEC("license") = "GPL";

// Set by the helper before load (--pid, --comm, --keys).
const volatile bool filter_pid = false;
const volatile bool filter_comm = false;
const volatile char comm_filter[COMM_LEN] = {};
const volatile bool key_cgroup = false;
const volatile bool key_comm = false;

// Per-CPU running totals in one element, never cleared: the plugin computes rates.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct totals);
} counters SEC(".maps");

// The same totals per cgroup id and per command name (src/plan/counter-keys.ts): as many entries as the
// helper sizes them for (--cgroup-table-size, --comm-table-size); a key that finds the table full is
// counted on the host only.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, u64);
	__type(value, struct totals);
} cgroup_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, struct comm_key);
	__type(value, struct totals);
} comm_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TRACKED_MAX);
	__type(key, u32);
	__type(value, u8);
} tracked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STASH_MAX);
	__type(key, u64);
	__type(value, u8);
} stash SEC(".maps");

// sched_process_free carried comm as an array until it became a __data_loc string (6.x): both layouts.
struct trace_event_raw_sched_process_template___array {
	char comm[COMM_LEN];
	pid_t pid;
} __attribute__((preserve_access_index));

struct trace_event_raw_sched_process_template___loc {
	u32 __data_loc_comm;
	pid_t pid;
} __attribute__((preserve_access_index));

// One lookup per event: a program that adds to several counters looks up once.
static __always_inline struct totals *this_cpu_totals(void)
{
	u32 key = 0;

	return bpf_map_lookup_elem(&counters, &key);
}

static __always_inline bool same_comm(const char *comm)
{
	for (int i = 0; i < COMM_LEN; i++) {
		if (comm[i] != comm_filter[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

static __always_inline bool is_tracked(u32 id)
{
	return bpf_map_lookup_elem(&tracked, &id) != NULL;
}

static __always_inline bool current_wanted(void)
{
	if (filter_comm) {
		char comm[COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		if (!same_comm(comm))
			return false;
	}
	if (filter_pid) {
		u64 id = bpf_get_current_pid_tgid();

		if (!is_tracked(id >> 32) && !is_tracked((u32)id))
			return false;
	}
	return true;
}

// A key's totals, made on its first event; NULL when the table is full.
static __always_inline struct totals *keyed_totals(void *map, const void *key)
{
	struct totals *totals = bpf_map_lookup_elem(map, key);
	struct totals zero = {};

	if (totals)
		return totals;
	bpf_map_update_elem(map, key, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, key);
}

// Where an event adds: this CPU's host totals, then its key's totals for each key the plan keeps.
static __always_inline void keyed_slots(struct totals *each[TOTALS_PER_EVENT], u64 cgroup, const struct comm_key *comm)
{
	each[0] = this_cpu_totals();
	if (key_cgroup)
		each[1] = keyed_totals(&cgroup_totals, &cgroup);
	if (key_comm)
		each[2] = keyed_totals(&comm_totals, comm);
}

// The current task's totals, when the filter counts it.
static __always_inline bool current_totals(struct totals *each[TOTALS_PER_EVENT])
{
	struct comm_key comm = {};

	if (!current_wanted())
		return false;
	if (key_comm)
		bpf_get_current_comm(comm.name, sizeof(comm.name));
	keyed_slots(each, key_cgroup ? bpf_get_current_cgroup_id() : 0, &comm);
	return true;
}

// Released tasks are not the current task: their own ids and name decide, and their own keys.
static __always_inline bool subject_wanted(u32 tid, u32 tgid, const char *comm)
{
	if (filter_comm && !same_comm(comm))
		return false;
	return !filter_pid || is_tracked(tid) || is_tracked(tgid);
}

static __always_inline bool released_task_totals(struct task_struct *task, struct totals *each[TOTALS_PER_EVENT])
{
	struct comm_key comm = {};

	bpf_core_read_str(comm.name, sizeof(comm.name), &task->comm);
	if (!subject_wanted(BPF_CORE_READ(task, pid), BPF_CORE_READ(task, tgid), comm.name))
		return false;
	keyed_slots(each, key_cgroup ? BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id) : 0, &comm);
	return true;
}

// sched_process_free's pid, and its comm when asked for; the tracepoint gives the thread id only.
static __always_inline u32 freed_task(void *ctx, char comm[COMM_LEN])
{
	struct trace_event_raw_sched_process_template___loc *now = ctx;
	struct trace_event_raw_sched_process_template___array *old = ctx;

	if (bpf_core_field_exists(now->__data_loc_comm)) {
		if (comm)
			bpf_probe_read_kernel_str(comm, COMM_LEN, (char *)ctx + (BPF_CORE_READ(now, __data_loc_comm) & 0xffff));
		return BPF_CORE_READ(now, pid);
	}
	if (comm)
		bpf_probe_read_kernel_str(comm, COMM_LEN, old->comm);
	return BPF_CORE_READ(old, pid);
}

// --pid tracks thread ids too, so the thread id serves as both. The event carries no cgroup: a release is
// kept per cgroup only where release_task is probed.
static __always_inline bool freed_task_totals(void *ctx, struct totals *each[TOTALS_PER_EVENT])
{
	struct comm_key comm = {};
	u32 pid = freed_task(ctx, comm.name);

	if (!subject_wanted(pid, pid, comm.name))
		return false;
	each[0] = this_cpu_totals();
	if (key_comm)
		each[2] = keyed_totals(&comm_totals, &comm);
	return true;
}

// The stash holds one flag per thread between a syscall's entry and its exit.
static __always_inline void stash_put(bool flag)
{
	u64 id = bpf_get_current_pid_tgid();
	u8 value = flag;

	bpf_map_update_elem(&stash, &id, &value, BPF_ANY);
}

// A missing stash (the entry happened before we attached) reads as 0, as a bpftrace map does.
static __always_inline bool stash_take(void)
{
	u64 id = bpf_get_current_pid_tgid();
	u8 *value = bpf_map_lookup_elem(&stash, &id);
	bool flag = value && *value;

	if (value)
		bpf_map_delete_elem(&stash, &id);
	return flag;
}

// fexit reads the return value through a helper: the targets, and so their argument counts, vary.
static __always_inline long fexit_ret(u64 *ctx)
{
	u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return (long)ret;
}

// An unreadable pointer reads as 0: the syscall then fails on it too.
static __always_inline u64 user_u64(u64 address)
{
	u64 value = 0;

	bpf_probe_read_user(&value, sizeof(value), (const void *)address);
	return value;
}

#include "programs.gen.h"

/*
 * --pid follows descendants: a new task of a tracked task is tracked, and a freed task is forgotten so
 * that its id, once reused, is not. The helper attaches track_free last, after any release program.
 */
SEC("tracepoint")
int track_newtask(struct trace_event_raw_task_newtask *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 child = ctx->pid;
	u8 yes = 1;

	if (is_tracked(id >> 32) || is_tracked((u32)id))
		bpf_map_update_elem(&tracked, &child, &yes, BPF_ANY);
	return 0;
}

// A removed cgroup's totals go with it, so the table holds live cgroups only.
SEC("tracepoint")
int forget_cgroup_tp(struct trace_event_raw_cgroup *ctx)
{
	u64 id = BPF_CORE_READ(ctx, id);

	bpf_map_delete_elem(&cgroup_totals, &id);
	return 0;
}

SEC("tracepoint")
int track_free(void *ctx)
{
	u32 pid = freed_task(ctx, NULL);

	bpf_map_delete_elem(&tracked, &pid);
	return 0;
}
