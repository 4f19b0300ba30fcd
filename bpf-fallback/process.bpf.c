// SPDX-License-Identifier: GPL-3.0-or-later
// Every counter of the catalogue (src/plan/catalogue.ts) in every attach kind the plan can choose. No
// program names its target: the helper enables only what the plan asks for and sets the targets at run
// time, so a renamed kernel function needs no rebuild. Program names are the helper's argv vocabulary
// (src/backend/helper/helper-programs.ts).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "process.h"

char LICENSE[] SEC("license") = "GPL";

#define CLONE_THREAD 0x10000
#define AT_REMOVEDIR 0x200

// Set by the helper before load (--pid, --comm).
const volatile bool filter_pid = false;
const volatile bool filter_comm = false;
const volatile char comm_filter[COMM_LEN] = {};

// Per-CPU running totals in one element, never cleared: the plugin computes rates.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct totals);
} counters SEC(".maps");

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

// One lookup per event: a program that adds to two counters looks up once (a lookup is not merged by clang).
static __always_inline struct totals *this_cpu_totals(void)
{
	u32 key = 0;

	return bpf_map_lookup_elem(&counters, &key);
}

static __always_inline void add(enum counter slot, u64 value)
{
	struct totals *totals = this_cpu_totals();

	if (totals)
		totals->slot[slot] += value;
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

// Released tasks are not the current task: their own ids and name decide.
static __always_inline bool task_wanted(u32 tid, u32 tgid, const char *comm)
{
	if (filter_comm && !same_comm(comm))
		return false;
	return !filter_pid || is_tracked(tid) || is_tracked(tgid);
}

// This CPU's totals when the filter counts the current task, else NULL: one lookup for all its counters.
static __always_inline struct totals *counted_totals(void)
{
	return current_wanted() ? this_cpu_totals() : NULL;
}

static __always_inline void count_call(enum counter calls)
{
	if (current_wanted())
		add(calls, 1);
}

static __always_inline void count_result(enum counter calls, enum counter errors, bool failed)
{
	struct totals *totals = counted_totals();

	if (!totals)
		return;
	totals->slot[calls] += 1;
	if (failed)
		totals->slot[errors] += 1;
}

static __always_inline void count_request(enum counter calls, enum counter bytes, u64 requested)
{
	struct totals *totals = counted_totals();

	if (!totals)
		return;
	totals->slot[calls] += 1;
	totals->slot[bytes] += requested;
}

static __always_inline void count_transfer(enum counter calls, enum counter errors, enum counter bytes, long ret)
{
	struct totals *totals = counted_totals();

	if (!totals)
		return;
	totals->slot[calls] += 1;
	if (ret < 0)
		totals->slot[errors] += 1;
	else if (ret > 0)
		totals->slot[bytes] += ret;
}

static __always_inline void count_task(bool thread)
{
	if (current_wanted())
		add(thread ? C_THREAD : C_PROCESS, 1);
}

static __always_inline void count_task_error(bool thread, long ret)
{
	if (ret < 0 && current_wanted())
		add(thread ? C_THREAD_ERROR : C_PROCESS_ERROR, 1);
}

static __always_inline void count_release(u32 tid, u32 tgid, const char *comm)
{
	if (task_wanted(tid, tgid, comm))
		add(C_RELEASE, 1);
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

static __always_inline bool task_is_thread(struct task_struct *task)
{
	return BPF_CORE_READ(task, pid) != BPF_CORE_READ(task, tgid);
}

static __always_inline bool kargs_thread(struct kernel_clone_args *kargs)
{
	return (BPF_CORE_READ(kargs, flags) & CLONE_THREAD) != 0;
}

static __always_inline void release_of(struct task_struct *task)
{
	char comm[COMM_LEN] = {};

	bpf_core_read_str(comm, sizeof(comm), &task->comm);
	count_release(BPF_CORE_READ(task, pid), BPF_CORE_READ(task, tgid), comm);
}

/* open: do_sys_openat2 / do_sys_open; sys_{enter,exit}_{open,openat,openat2,creat} */
SEC("fentry") int open_fentry(u64 *ctx) { count_call(C_OPEN); return 0; }
SEC("kprobe") int open_kprobe(struct pt_regs *ctx) { count_call(C_OPEN); return 0; }
SEC("tracepoint") int open_tp_enter(void *ctx) { count_call(C_OPEN); return 0; }
// Errors are compared as int: these functions return an fd or a negative errno.
SEC("fexit") int open_fexit(u64 *ctx) { count_result(C_OPEN, C_OPEN_ERROR, (int)fexit_ret(ctx) < 0); return 0; }
SEC("kretprobe") int open_kretprobe(struct pt_regs *ctx)
{
	count_result(C_OPEN, C_OPEN_ERROR, (int)PT_REGS_RC(ctx) < 0);
	return 0;
}
SEC("tracepoint") int open_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	count_result(C_OPEN, C_OPEN_ERROR, ctx->ret < 0);
	return 0;
}

/* close: file_close_fd / close_fd_get_file return the file (NULL: bad fd); close_fd / __close_fd an errno */
SEC("fentry") int close_fentry(u64 *ctx) { count_call(C_CLOSE); return 0; }
SEC("kprobe") int close_kprobe(struct pt_regs *ctx) { count_call(C_CLOSE); return 0; }
SEC("tracepoint") int close_tp_enter(void *ctx) { count_call(C_CLOSE); return 0; }
SEC("fexit") int close_fexit(u64 *ctx) { count_result(C_CLOSE, C_CLOSE_ERROR, (int)fexit_ret(ctx) < 0); return 0; }
SEC("fexit") int close_fexit_null(u64 *ctx) { count_result(C_CLOSE, C_CLOSE_ERROR, fexit_ret(ctx) == 0); return 0; }
SEC("kretprobe") int close_kretprobe(struct pt_regs *ctx)
{
	count_result(C_CLOSE, C_CLOSE_ERROR, (int)PT_REGS_RC(ctx) < 0);
	return 0;
}
SEC("kretprobe") int close_kretprobe_null(struct pt_regs *ctx)
{
	count_result(C_CLOSE, C_CLOSE_ERROR, PT_REGS_RC(ctx) == 0);
	return 0;
}
SEC("tracepoint") int close_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	count_result(C_CLOSE, C_CLOSE_ERROR, ctx->ret < 0);
	return 0;
}

/* unlink: vfs_unlink sees files only; the syscalls need unlinkat's AT_REMOVEDIR to skip rmdir */
SEC("fentry") int unlink_fentry(u64 *ctx) { count_call(C_UNLINK); return 0; }
SEC("kprobe") int unlink_kprobe(struct pt_regs *ctx) { count_call(C_UNLINK); return 0; }
SEC("tracepoint") int unlink_tp_enter(void *ctx) { count_call(C_UNLINK); return 0; }
SEC("fexit") int unlink_fexit(u64 *ctx) { count_result(C_UNLINK, C_UNLINK_ERROR, (int)fexit_ret(ctx) < 0); return 0; }
SEC("kretprobe") int unlink_kretprobe(struct pt_regs *ctx)
{
	count_result(C_UNLINK, C_UNLINK_ERROR, (int)PT_REGS_RC(ctx) < 0);
	return 0;
}
SEC("tracepoint") int unlink_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	count_result(C_UNLINK, C_UNLINK_ERROR, ctx->ret < 0);
	return 0;
}
SEC("tracepoint") int unlinkat_tp_enter(struct trace_event_raw_sys_enter *ctx)
{
	if ((ctx->args[2] & AT_REMOVEDIR) == 0)
		count_call(C_UNLINK);
	return 0;
}
SEC("tracepoint") int unlinkat_tp_stash(struct trace_event_raw_sys_enter *ctx)
{
	if (current_wanted())
		stash_put((ctx->args[2] & AT_REMOVEDIR) == 0);
	return 0;
}
SEC("tracepoint") int unlinkat_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	if (stash_take())
		count_result(C_UNLINK, C_UNLINK_ERROR, ctx->ret < 0);
	return 0;
}

/*
 * read and write: the first group (vfs_read, read, pread64) knows the requested size at entry; the
 * vectored group (vfs_readv, readv, preadv, preadv2) does not, so it counts only calls at entry. At exit
 * both groups read the result. fentry/fexit take one target per program, hence a program per group.
 */
#define IO_PROGRAMS(op, OP)                                                                          \
	SEC("fentry") int op##_fentry(u64 *ctx) { count_request(C_##OP, C_##OP##_BYTES, ctx[2]); return 0; } \
	SEC("fentry") int op##v_fentry(u64 *ctx) { count_call(C_##OP); return 0; }                          \
	SEC("kprobe") int op##_kprobe(struct pt_regs *ctx)                                                 \
	{                                                                                              \
		count_request(C_##OP, C_##OP##_BYTES, PT_REGS_PARM3(ctx));                               \
		return 0;                                                                              \
	}                                                                                              \
	SEC("kprobe") int op##v_kprobe(struct pt_regs *ctx) { count_call(C_##OP); return 0; }              \
	SEC("tracepoint") int op##_tp_enter(struct trace_event_raw_sys_enter *ctx)                         \
	{                                                                                              \
		count_request(C_##OP, C_##OP##_BYTES, ctx->args[2]);                                     \
		return 0;                                                                              \
	}                                                                                              \
	SEC("tracepoint") int op##v_tp_enter(void *ctx) { count_call(C_##OP); return 0; }                  \
	SEC("fexit") int op##_fexit(u64 *ctx)                                                              \
	{                                                                                              \
		count_transfer(C_##OP, C_##OP##_ERROR, C_##OP##_BYTES, fexit_ret(ctx));                   \
		return 0;                                                                              \
	}                                                                                              \
	SEC("fexit") int op##v_fexit(u64 *ctx)                                                             \
	{                                                                                              \
		count_transfer(C_##OP, C_##OP##_ERROR, C_##OP##_BYTES, fexit_ret(ctx));                   \
		return 0;                                                                              \
	}                                                                                              \
	SEC("kretprobe") int op##_kretprobe(struct pt_regs *ctx)                                           \
	{                                                                                              \
		count_transfer(C_##OP, C_##OP##_ERROR, C_##OP##_BYTES, PT_REGS_RC(ctx));                 \
		return 0;                                                                              \
	}                                                                                              \
	SEC("kretprobe") int op##v_kretprobe(struct pt_regs *ctx)                                          \
	{                                                                                              \
		count_transfer(C_##OP, C_##OP##_ERROR, C_##OP##_BYTES, PT_REGS_RC(ctx));                 \
		return 0;                                                                              \
	}                                                                                              \
	SEC("tracepoint") int op##_tp_exit(struct trace_event_raw_sys_exit *ctx)                           \
	{                                                                                              \
		count_transfer(C_##OP, C_##OP##_ERROR, C_##OP##_BYTES, ctx->ret);                         \
		return 0;                                                                              \
	}                                                                                              \
	SEC("tracepoint") int op##v_tp_exit(struct trace_event_raw_sys_exit *ctx)                          \
	{                                                                                              \
		count_transfer(C_##OP, C_##OP##_ERROR, C_##OP##_BYTES, ctx->ret);                         \
		return 0;                                                                              \
	}

IO_PROGRAMS(read, READ)
IO_PROGRAMS(write, WRITE)

/* task_create: wake_up_new_task(p) sees the new task; task_newtask its clone flags */
SEC("fentry") int newtask_fentry(u64 *ctx)
{
	count_task(task_is_thread((struct task_struct *)ctx[0]));
	return 0;
}
SEC("kprobe") int newtask_kprobe(struct pt_regs *ctx)
{
	count_task(task_is_thread((struct task_struct *)PT_REGS_PARM1(ctx)));
	return 0;
}
SEC("tracepoint") int newtask_tp(struct trace_event_raw_task_newtask *ctx)
{
	count_task((ctx->clone_flags & CLONE_THREAD) != 0);
	return 0;
}

/* task_error: kernel_clone / _do_fork(kargs); clone, clone3 (flags in user memory), fork, vfork */
SEC("fexit") int clone_fexit(u64 *ctx)
{
	count_task_error(kargs_thread((struct kernel_clone_args *)ctx[0]), (int)fexit_ret(ctx));
	return 0;
}
SEC("kprobe") int clone_kprobe_stash(struct pt_regs *ctx)
{
	if (current_wanted())
		stash_put(kargs_thread((struct kernel_clone_args *)PT_REGS_PARM1(ctx)));
	return 0;
}
SEC("kretprobe") int clone_kretprobe(struct pt_regs *ctx)
{
	bool thread = stash_take();

	count_task_error(thread, (int)PT_REGS_RC(ctx));
	return 0;
}
SEC("tracepoint") int clone_tp_stash(struct trace_event_raw_sys_enter *ctx)
{
	if (current_wanted())
		stash_put((ctx->args[0] & CLONE_THREAD) != 0);
	return 0;
}
SEC("tracepoint") int clone3_tp_stash(struct trace_event_raw_sys_enter *ctx)
{
	u64 flags = 0;

	if (!current_wanted())
		return 0;
	// struct clone_args starts with its u64 flags; an unreadable pointer fails the syscall too.
	bpf_probe_read_user(&flags, sizeof(flags), (void *)ctx->args[0]);
	stash_put((flags & CLONE_THREAD) != 0);
	return 0;
}
SEC("tracepoint") int clone_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	bool thread = stash_take();

	count_task_error(thread, ctx->ret);
	return 0;
}
SEC("tracepoint") int clone3_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	bool thread = stash_take();

	count_task_error(thread, ctx->ret);
	return 0;
}
SEC("tracepoint") int fork_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	count_task_error(false, ctx->ret);
	return 0;
}

/* exit: every exiting thread, in its own context */
SEC("fentry") int exit_fentry(u64 *ctx) { count_call(C_EXIT); return 0; }
SEC("kprobe") int exit_kprobe(struct pt_regs *ctx) { count_call(C_EXIT); return 0; }
SEC("tracepoint") int exit_tp(void *ctx) { count_call(C_EXIT); return 0; }

/* release: release_task(p) / sched_process_free run on behalf of another task */
SEC("fentry") int release_fentry(u64 *ctx)
{
	release_of((struct task_struct *)ctx[0]);
	return 0;
}
SEC("kprobe") int release_kprobe(struct pt_regs *ctx)
{
	release_of((struct task_struct *)PT_REGS_PARM1(ctx));
	return 0;
}
SEC("tracepoint") int release_tp(void *ctx)
{
	struct trace_event_raw_sched_process_template___loc *now = ctx;
	struct trace_event_raw_sched_process_template___array *old = ctx;
	char comm[COMM_LEN] = {};
	u32 pid;

	if (bpf_core_field_exists(now->__data_loc_comm)) {
		pid = BPF_CORE_READ(now, pid);
		bpf_probe_read_kernel_str(comm, sizeof(comm), (char *)ctx + (BPF_CORE_READ(now, __data_loc_comm) & 0xffff));
	} else {
		pid = BPF_CORE_READ(old, pid);
		bpf_probe_read_kernel_str(comm, sizeof(comm), old->comm);
	}
	// The tracepoint gives the thread id only; --pid tracks thread ids too.
	count_release(pid, pid, comm);
	return 0;
}

/*
 * --pid follows descendants: a new task of a tracked task is tracked, and a freed task is forgotten so
 * that its id, once reused, is not. The helper attaches track_free last, after any release program.
 */
SEC("tracepoint") int track_newtask(struct trace_event_raw_task_newtask *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 child = ctx->pid;
	u8 yes = 1;

	if (is_tracked(id >> 32) || is_tracked((u32)id))
		bpf_map_update_elem(&tracked, &child, &yes, BPF_ANY);
	return 0;
}
SEC("tracepoint") int track_free(void *ctx)
{
	struct trace_event_raw_sched_process_template___loc *now = ctx;
	struct trace_event_raw_sched_process_template___array *old = ctx;
	u32 pid = bpf_core_field_exists(now->__data_loc_comm) ? BPF_CORE_READ(now, pid) : BPF_CORE_READ(old, pid);

	bpf_map_delete_elem(&tracked, &pid);
	return 0;
}
