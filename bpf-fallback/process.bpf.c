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
// Keys counted through slots cached in task local storage (keyed_slots below); the per-CPU hashes otherwise.
const volatile bool slot_cache = false;
// --app-names: tasks whose own name matches none count under an ancestor's (inherited_apps below). Per enum
// app_kind, a bit per name length given: a length no name of that kind has costs no lookup.
const volatile bool inherit_apps = false;
const volatile unsigned int app_lengths[APP_KINDS] = {};

// Per-CPU running totals in one element, never cleared: the plugin computes rates.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct totals);
} counters SEC(".maps");

// The same totals per cgroup id and per command name (src/plan/counter-keys.ts), in as many entries as the
// helper sizes them for (--per-cgroup, --per-comm); a key that finds its table full is counted in unkeyed_totals.
#define KEYED_TOTALS(key_type) \
	struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __uint(max_entries, 1); __type(key, key_type); __type(value, struct totals); }
KEYED_TOTALS(u64) cgroup_totals SEC(".maps");
KEYED_TOTALS(struct comm_key) comm_totals SEC(".maps");

// What no key's totals got, per table (0 cgroup, 1 comm): the events of keys that found their table full (or a task
// without storage), so that the host's totals are always the keys' plus these (ebpf.plugin_health charts them).
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TOTALS_PER_EVENT - 1);
	__type(key, u32);
	__type(value, struct totals);
} unkeyed_totals SEC(".maps");

// A key's totals, or the table's unkeyed ones when it has none: one more lookup only for a key left out.
static __always_inline struct totals *or_unkeyed(struct totals *totals, u32 table)
{
	return totals ? totals : bpf_map_lookup_elem(&unkeyed_totals, &table);
}

/*
 * The slot cache, where the kernel has task local storage (5.11): a key's totals live in a slot of a per-CPU array,
 * and a task's storage remembers its cgroup id and name with their slots. An event then finds its totals with
 * one storage lookup and array lookups (no hashing), and looks a key up in the key-to-slot hash only when its
 * task's cgroup or name changed. The cache is checked against the task's cgroup id and name on each event, so
 * a migration, an exec or a rename needs no hook. Free slots wait on a stack the helper fills at start; a removed
 * cgroup's slot goes to `freed_cgroup_slots`, and the helper zeroes it before it is given again (attach.c).
 * A task that found the table full caches that too, and looks again only once the helper has given slots back
 * (`cgroup_slots_returned` moved on): not on every event, so a full table costs no more than one with room.
 */
#define NO_SLOT 0xffffffffU
// Moved on by the helper each time it gives removed cgroups' slots back (attach.c).
__u64 cgroup_slots_returned = 0;
#define SLOT_TOTALS \
	struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, struct totals); }
#define SLOT_OF(key_type) \
	struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1); __type(key, key_type); __type(value, u32); }
// Free slots on a stack: a slot just freed is given next, while its lines may still be cached.
#define SLOT_LIST(type_) struct { __uint(type, type_); __uint(max_entries, 1); __type(value, u32); }
SLOT_TOTALS cgroup_slot_totals SEC(".maps");
SLOT_TOTALS comm_slot_totals SEC(".maps");
SLOT_OF(u64) cgroup_slots SEC(".maps");
SLOT_OF(struct comm_key) comm_slots SEC(".maps");
SLOT_LIST(BPF_MAP_TYPE_STACK) free_cgroup_slots SEC(".maps");
SLOT_LIST(BPF_MAP_TYPE_STACK) free_comm_slots SEC(".maps");
SLOT_LIST(BPF_MAP_TYPE_QUEUE) freed_cgroup_slots SEC(".maps");

struct task_keys {
	u64 cgroup; // 0, no cgroup's id, until the first event
	u64 cgroup_returned; // cgroup_slots_returned when cgroup_slot was looked for
	struct comm_key comm;
	bool comm_known;
	u32 cgroup_slot;
	u32 comm_slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_keys);
} task_keys SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TRACKED_MAX);
	__type(key, u32);
	__type(value, u8);
} tracked SEC(".maps");

/*
 * apps = yes as apps.plugin groups tasks: a task whose own name matches no apps_groups.conf name counts under the
 * name of its nearest ancestor that matches one, so that user space folds it into that ancestor's group. Decided
 * when a task is made (track_app_fork: the child takes its parent's) and renamed (track_app_rename: an exec,
 * prctl), never per event. `inherited_apps` holds, per thread id, the name such a task counts under, and only for
 * tasks whose own name matches none: a task without an entry counts under its own name. A pid-keyed hash rather
 * than task local storage, because the release is hooked raw and has no BTF task pointer to find storage with;
 * track_free forgets the entry after the release has used it. A full map leaves a task under its own name.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct app_name);
	__type(value, u8);
} app_names SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, INHERITED_MAX);
	__type(key, u32);
	__type(value, struct comm_key);
} inherited_apps SEC(".maps");

// The name a task's events count under: its nearest matching ancestor's, or its own.
static __always_inline const struct comm_key *counted_name(const struct comm_key *own, u32 tid)
{
	const struct comm_key *inherited = inherit_apps ? bpf_map_lookup_elem(&inherited_apps, &tid) : NULL;

	return inherited ? inherited : own;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STASH_MAX);
	__type(key, u64);
	__type(value, u8);
} stash SEC(".maps");

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

// Whether the filter counts a task: its name (--comm), its thread or process among the tracked (--pid).
static __always_inline bool wanted(u32 tid, u32 tgid, const char *comm)
{
	if (filter_comm && !same_comm(comm))
		return false;
	return !filter_pid || is_tracked(tid) || is_tracked(tgid);
}

// The current task, its name read where the filter or a key needs it.
static __always_inline bool current_wanted(struct comm_key *comm)
{
	u64 id;

	// The slot cache reads the name from the task itself (cached_key_totals).
	if (filter_comm || (key_comm && !slot_cache))
		bpf_get_current_comm(comm->name, sizeof(comm->name));
	// The ids only where --pid needs them: a helper call on every event otherwise.
	if (!filter_pid)
		return !filter_comm || same_comm(comm->name);
	id = bpf_get_current_pid_tgid();
	return wanted((u32)id, id >> 32, comm->name);
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

// The key's slot, given from the free ones on its first event; NO_SLOT when the table is full.
static __always_inline u32 slot_of(void *slots, void *free_slots, const void *key)
{
	u32 *known = bpf_map_lookup_elem(slots, key);
	u32 slot;

	if (known)
		return *known;
	if (bpf_map_pop_elem(free_slots, &slot))
		return NO_SLOT;
	if (bpf_map_update_elem(slots, key, &slot, BPF_NOEXIST)) {
		// Another CPU gave the key a slot first: ours goes back.
		bpf_map_push_elem(free_slots, &slot, 0);
		known = bpf_map_lookup_elem(slots, key);
		return known ? *known : NO_SLOT;
	}
	return slot;
}

static __always_inline struct totals *slot_totals(void *map, u32 slot)
{
	return slot == NO_SLOT ? NULL : bpf_map_lookup_elem(map, &slot);
}

// Two words compared, not sixteen bytes: this runs on every event.
_Static_assert(sizeof(struct comm_key) == 2 * sizeof(u64), "same_name compares a name as two words");
static __always_inline bool same_name(const struct comm_key *a, const struct comm_key *b)
{
	u64 x[2], y[2];

	__builtin_memcpy(x, a, sizeof(x));
	__builtin_memcpy(y, b, sizeof(y));
	return x[0] == y[0] && x[1] == y[1];
}

// LENGTH bytes of a name from byte AT, the rest zero, as app_names keys them: the name is two little-endian words.
static __always_inline bool app_part_known(u32 kind, const u64 word[2], u32 at, u32 length)
{
	struct app_name key = { .kind = kind, .length = length };
	u64 low = word[0], high = word[1], part[2];

	if (at >= 8) {
		low = high >> ((at - 8) * 8);
		high = 0;
	} else if (at > 0) {
		low = (low >> (at * 8)) | (high << (64 - at * 8));
		high >>= at * 8;
	}
	part[0] = length >= 8 ? low : low & ((1ULL << (length * 8)) - 1);
	part[1] = length <= 8 ? 0 : high & ((1ULL << ((length - 8) * 8)) - 1);
	__builtin_memcpy(&key.name, part, sizeof(part));
	return bpf_map_lookup_elem(&app_names, &key) != NULL;
}

// Whether an apps_groups.conf name matches a task's name: the whole name, then each start, end and part of it of
// a length some name of that kind has, looked up (at most 1 + 15 + 15 + 120 lookups, at an exec or a rename only).
static __always_inline bool app_length(enum app_kind kind, u32 length)
{
	return app_lengths[kind] & (1U << length);
}

static __always_inline bool app_named(const struct comm_key *name)
{
	u64 word[2];
	u32 length = 0;

	__builtin_memcpy(word, name, sizeof(word));
	for (int i = 0; i < COMM_LEN - 1 && name->name[i]; i++)
		length = i + 1;
	if (length && app_length(APP_EXACT, length) && app_part_known(APP_EXACT, word, 0, length))
		return true;
	for (u32 part = 1; part < COMM_LEN && part <= length; part++) {
		if (app_length(APP_PREFIX, part) && app_part_known(APP_PREFIX, word, 0, part))
			return true;
		if (app_length(APP_SUFFIX, part) && app_part_known(APP_SUFFIX, word, length - part, part))
			return true;
		if (!app_length(APP_SUBSTRING, part))
			continue;
		for (u32 at = 0; at < COMM_LEN && at + part <= length; at++)
			if (app_part_known(APP_SUBSTRING, word, at, part))
				return true;
	}
	return false;
}

// The current task's key totals through its cached slots, refreshed when its cgroup or name changed. Both are
// read from the task itself, plain loads through its BTF pointer: the helper calls that return them
// (bpf_get_current_cgroup_id, bpf_get_current_comm) cost about as much as the hash lookup the cache saves.
static __always_inline void cached_key_totals(struct totals *each[TOTALS_PER_EVENT])
{
	struct task_keys fresh = { .cgroup_slot = NO_SLOT, .comm_slot = NO_SLOT };
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_keys *keys = bpf_task_storage_get(&task_keys, task, &fresh, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!keys) {
		each[1] = key_cgroup ? or_unkeyed(NULL, 0) : NULL;
		each[2] = key_comm ? or_unkeyed(NULL, 1) : NULL;
		return;
	}
	if (key_cgroup) {
		u64 cgroup = task->cgroups->dfl_cgrp->kn->id;
		u64 returned = cgroup_slots_returned;

		if (keys->cgroup != cgroup || (keys->cgroup_slot == NO_SLOT && keys->cgroup_returned != returned)) {
			keys->cgroup_slot = slot_of(&cgroup_slots, &free_cgroup_slots, &cgroup);
			keys->cgroup = cgroup;
			keys->cgroup_returned = returned;
		}
		each[1] = or_unkeyed(slot_totals(&cgroup_slot_totals, keys->cgroup_slot), 0);
	}
	if (key_comm) {
		struct comm_key comm;

		__builtin_memcpy(&comm, task->comm, sizeof(comm));
		if (!keys->comm_known || !same_name(&keys->comm, &comm)) {
			keys->comm_slot = slot_of(&comm_slots, &free_comm_slots, counted_name(&comm, task->pid));
			__builtin_memcpy(&keys->comm, &comm, sizeof(keys->comm));
			keys->comm_known = true;
		}
		each[2] = or_unkeyed(slot_totals(&comm_slot_totals, keys->comm_slot), 1);
	}
}

// A task that is not the current one (a release) looks its keys' slots up.
static __always_inline void looked_up_key_totals(struct totals *each[TOTALS_PER_EVENT], const u64 *cgroup,
						 const struct comm_key *comm)
{
	if (key_cgroup && cgroup)
		each[1] = or_unkeyed(slot_totals(&cgroup_slot_totals, slot_of(&cgroup_slots, &free_cgroup_slots, cgroup)), 0);
	if (key_comm)
		each[2] = or_unkeyed(slot_totals(&comm_slot_totals, slot_of(&comm_slots, &free_comm_slots, comm)), 1);
}

// Where an event adds when its task is counted: this CPU's host totals, then the task's totals for each key the
// plan keeps (no cgroup: the event does not say it).
static __always_inline bool task_totals(struct totals *each[TOTALS_PER_EVENT], bool counted, bool current,
					const u64 *cgroup, const struct comm_key *comm)
{
	u32 host = 0;

	if (!counted)
		return false;
	// One lookup per table and event, however many counters the event adds to.
	each[0] = bpf_map_lookup_elem(&counters, &host);
	if (slot_cache && current && (key_cgroup || key_comm))
		cached_key_totals(each);
	else if (slot_cache)
		looked_up_key_totals(each, cgroup, comm);
	if (slot_cache)
		return true;
	if (key_cgroup && cgroup)
		each[1] = or_unkeyed(keyed_totals(&cgroup_totals, cgroup), 0);
	if (key_comm)
		each[2] = or_unkeyed(keyed_totals(&comm_totals, comm), 1);
	return true;
}

static __always_inline bool current_totals(struct totals *each[TOTALS_PER_EVENT])
{
	struct comm_key comm = {};
	u64 cgroup = key_cgroup && !slot_cache ? bpf_get_current_cgroup_id() : 0;
	bool counted = current_wanted(&comm);

	// The per-CPU hashes look the inherited name up on each event; the slot cache only when the name changed.
	if (inherit_apps && key_comm && !slot_cache)
		return task_totals(each, counted, true, &cgroup, counted_name(&comm, (u32)bpf_get_current_pid_tgid()));
	return task_totals(each, counted, true, &cgroup, &comm);
}

// A released task is not the current one: its own ids, name and cgroup decide.
static __always_inline bool released_task_totals(struct task_struct *task, struct totals *each[TOTALS_PER_EVENT])
{
	struct comm_key comm = {};
	u64 cgroup = key_cgroup ? BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id) : 0;

	u32 tid = BPF_CORE_READ(task, pid);

	bpf_core_read_str(comm.name, sizeof(comm.name), &task->comm);
	return task_totals(each, wanted(tid, BPF_CORE_READ(task, tgid), comm.name), false, &cgroup, counted_name(&comm, tid));
}

// sched_process_free hooked raw (SEC("raw_tp")): its first argument is the freed task itself. Raw, it is skipped
// only when it would interrupt itself. As a perf tracepoint it is also skipped whenever its RCU callback (softirq)
// interrupts any other tracing program on the CPU, our syscall programs included: on a busy host that lost
// releases by the dozen.
static __always_inline struct task_struct *raw_task(struct bpf_raw_tracepoint_args *ctx)
{
	return (struct task_struct *)ctx->args[0];
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
 * Any other new task forgets its id too: the task that had it is gone, whether or not its release was seen
 * (bpftrace's perf tracepoint misses some under load; the id may also come back before the RCU callback runs).
 */
SEC("tracepoint")
int track_newtask(struct trace_event_raw_task_newtask *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 child = ctx->pid;
	u8 yes = 1;

	if (is_tracked(id >> 32) || is_tracked((u32)id))
		bpf_map_update_elem(&tracked, &child, &yes, BPF_ANY);
	else
		bpf_map_delete_elem(&tracked, &child);
	return 0;
}

// A new cgroup gets zero totals at once, so the plugin charts it before its first event.
SEC("tracepoint")
int add_cgroup_tp(struct trace_event_raw_cgroup *ctx)
{
	u64 id = BPF_CORE_READ(ctx, id);

	if (slot_cache)
		slot_of(&cgroup_slots, &free_cgroup_slots, &id);
	else
		keyed_totals(&cgroup_totals, &id);
	return 0;
}

// A removed cgroup's totals go with it, so the table holds live cgroups only.
SEC("tracepoint")
int forget_cgroup_tp(struct trace_event_raw_cgroup *ctx)
{
	u64 id = BPF_CORE_READ(ctx, id);
	u32 *slot = slot_cache ? bpf_map_lookup_elem(&cgroup_slots, &id) : NULL;

	if (slot) {
		u32 freed = *slot;

		// The helper zeroes the slot before it frees it again, so the next cgroup given it starts at zero.
		bpf_map_delete_elem(&cgroup_slots, &id);
		bpf_map_push_elem(&freed_cgroup_slots, &freed, 0);
	} else {
		bpf_map_delete_elem(&cgroup_totals, &id);
	}
	return 0;
}

SEC("raw_tp")
int track_free(struct bpf_raw_tracepoint_args *ctx)
{
	u32 pid = BPF_CORE_READ(raw_task(ctx), pid);

	if (filter_pid)
		bpf_map_delete_elem(&tracked, &pid);
	if (inherit_apps)
		bpf_map_delete_elem(&inherited_apps, &pid);
	return 0;
}

// A new task (process or thread) counts where its parent does: its name is its parent's until it is renamed.
SEC("tracepoint")
int track_app_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	u32 parent = BPF_CORE_READ(ctx, parent_pid), child = BPF_CORE_READ(ctx, child_pid);
	const struct comm_key *name = bpf_map_lookup_elem(&inherited_apps, &parent);

	if (name)
		bpf_map_update_elem(&inherited_apps, &child, name, BPF_ANY);
	return 0;
}

// A renamed task (an exec, prctl(PR_SET_NAME)) counts under its new name when a name of the file matches it, else
// under its parent's: the name the parent counts under, or the parent's own when one matches it.
SEC("tracepoint")
int track_app_rename(struct trace_event_raw_task_rename *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct comm_key name = {}, parent_name = {};
	u32 tid = (u32)bpf_get_current_pid_tgid();
	const struct comm_key *inherited;
	struct task_struct *parent;
	u32 parent_tid;

	// Another task's name written in /proc/PID/comm: that task keeps where it counts (docs/apps.md).
	if ((u32)BPF_CORE_READ(ctx, pid) != tid)
		return 0;
	bpf_probe_read_kernel(name.name, sizeof(name.name) - 1, ctx->newcomm);
	if (app_named(&name)) {
		bpf_map_delete_elem(&inherited_apps, &tid);
		return 0;
	}
	parent = BPF_CORE_READ(task, real_parent);
	parent_tid = BPF_CORE_READ(parent, pid);
	inherited = bpf_map_lookup_elem(&inherited_apps, &parent_tid);
	if (!inherited) {
		bpf_core_read_str(parent_name.name, sizeof(parent_name.name), &parent->comm);
		if (!app_named(&parent_name)) {
			bpf_map_delete_elem(&inherited_apps, &tid);
			return 0;
		}
		inherited = &parent_name;
	}
	bpf_map_update_elem(&inherited_apps, &tid, inherited, BPF_ANY);
	return 0;
}
