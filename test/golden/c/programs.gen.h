// Generated from src/plan/catalogue.ts by src/backend/helper/c-sources/programs-source.ts: do not edit.

SEC("fentry")
int BPF_PROG(open_fentry)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_OPEN] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(open_kprobe)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_OPEN] += 1;
	}
	return 0;
}

SEC("tracepoint")
int open_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_OPEN] += 1;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(open_fexit)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_OPEN] += 1;
		if ((int)ret < 0)
			totals->slot[C_OPEN_ERROR] += 1;
	}
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(open_kretprobe, long ret)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_OPEN] += 1;
		if ((int)ret < 0)
			totals->slot[C_OPEN_ERROR] += 1;
	}
	return 0;
}

SEC("tracepoint")
int open_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_OPEN] += 1;
		if (ret < 0)
			totals->slot[C_OPEN_ERROR] += 1;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(close_fentry)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_CLOSE] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(close_kprobe)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_CLOSE] += 1;
	}
	return 0;
}

SEC("tracepoint")
int close_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_CLOSE] += 1;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(close_null_fexit)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_CLOSE] += 1;
		if (ret == 0)
			totals->slot[C_CLOSE_ERROR] += 1;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(close_fexit)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_CLOSE] += 1;
		if ((int)ret < 0)
			totals->slot[C_CLOSE_ERROR] += 1;
	}
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(close_null_kretprobe, long ret)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_CLOSE] += 1;
		if (ret == 0)
			totals->slot[C_CLOSE_ERROR] += 1;
	}
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(close_kretprobe, long ret)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_CLOSE] += 1;
		if ((int)ret < 0)
			totals->slot[C_CLOSE_ERROR] += 1;
	}
	return 0;
}

SEC("tracepoint")
int close_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_CLOSE] += 1;
		if (ret < 0)
			totals->slot[C_CLOSE_ERROR] += 1;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(unlink_fentry)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_UNLINK] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(unlink_kprobe)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_UNLINK] += 1;
	}
	return 0;
}

SEC("tracepoint")
int unlink_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_UNLINK] += 1;
	}
	return 0;
}

SEC("tracepoint")
int unlinkat_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if ((ctx->args[2] & 0x200) == 0)
			totals->slot[C_UNLINK] += 1;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(unlink_fexit)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_UNLINK] += 1;
		if ((int)ret < 0)
			totals->slot[C_UNLINK_ERROR] += 1;
	}
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(unlink_kretprobe, long ret)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_UNLINK] += 1;
		if ((int)ret < 0)
			totals->slot[C_UNLINK_ERROR] += 1;
	}
	return 0;
}

SEC("tracepoint")
int unlink_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_UNLINK] += 1;
		if (ret < 0)
			totals->slot[C_UNLINK_ERROR] += 1;
	}
	return 0;
}

SEC("tracepoint")
int unlinkat_stash_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct comm_key comm = {};

	if (current_wanted(&comm))
		stash_put((ctx->args[2] & 0x200) == 0);
	return 0;
}

SEC("tracepoint")
int unlinkat_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	bool stash = stash_take();
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if (stash)
			totals->slot[C_UNLINK] += 1;
		if (stash && ret < 0)
			totals->slot[C_UNLINK_ERROR] += 1;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(read_fentry, u64 arg0, u64 arg1, u64 count)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		totals->slot[C_READ_BYTES] += count;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(readv_fentry)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(read_kprobe, u64 arg0, u64 arg1, u64 count)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		totals->slot[C_READ_BYTES] += count;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(readv_kprobe)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
	}
	return 0;
}

SEC("tracepoint")
int read_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		totals->slot[C_READ_BYTES] += ctx->args[2];
	}
	return 0;
}

SEC("tracepoint")
int readv_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(read_fexit)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		if (ret < 0)
			totals->slot[C_READ_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_READ_BYTES] += ret;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(readv_fexit)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		if (ret < 0)
			totals->slot[C_READ_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_READ_BYTES] += ret;
	}
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(read_kretprobe, long ret)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		if (ret < 0)
			totals->slot[C_READ_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_READ_BYTES] += ret;
	}
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(readv_kretprobe, long ret)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		if (ret < 0)
			totals->slot[C_READ_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_READ_BYTES] += ret;
	}
	return 0;
}

SEC("tracepoint")
int read_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		if (ret < 0)
			totals->slot[C_READ_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_READ_BYTES] += ret;
	}
	return 0;
}

SEC("tracepoint")
int readv_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_READ] += 1;
		if (ret < 0)
			totals->slot[C_READ_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_READ_BYTES] += ret;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(write_fentry, u64 arg0, u64 arg1, u64 count)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		totals->slot[C_WRITE_BYTES] += count;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(writev_fentry)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(write_kprobe, u64 arg0, u64 arg1, u64 count)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		totals->slot[C_WRITE_BYTES] += count;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(writev_kprobe)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
	}
	return 0;
}

SEC("tracepoint")
int write_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		totals->slot[C_WRITE_BYTES] += ctx->args[2];
	}
	return 0;
}

SEC("tracepoint")
int writev_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(write_fexit)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		if (ret < 0)
			totals->slot[C_WRITE_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_WRITE_BYTES] += ret;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(writev_fexit)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		if (ret < 0)
			totals->slot[C_WRITE_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_WRITE_BYTES] += ret;
	}
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(write_kretprobe, long ret)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		if (ret < 0)
			totals->slot[C_WRITE_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_WRITE_BYTES] += ret;
	}
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(writev_kretprobe, long ret)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		if (ret < 0)
			totals->slot[C_WRITE_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_WRITE_BYTES] += ret;
	}
	return 0;
}

SEC("tracepoint")
int write_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		if (ret < 0)
			totals->slot[C_WRITE_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_WRITE_BYTES] += ret;
	}
	return 0;
}

SEC("tracepoint")
int writev_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_WRITE] += 1;
		if (ret < 0)
			totals->slot[C_WRITE_ERROR] += 1;
		if (ret > 0)
			totals->slot[C_WRITE_BYTES] += ret;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(newtask_fentry, struct task_struct *p)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if (!(BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid)))
			totals->slot[C_PROCESS] += 1;
		if (BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid))
			totals->slot[C_THREAD] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(newtask_kprobe, struct task_struct *p)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if (!(BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid)))
			totals->slot[C_PROCESS] += 1;
		if (BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid))
			totals->slot[C_THREAD] += 1;
	}
	return 0;
}

SEC("tracepoint")
int newtask_tp(struct trace_event_raw_task_newtask *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if (!((ctx->clone_flags & 0x10000) != 0))
			totals->slot[C_PROCESS] += 1;
		if ((ctx->clone_flags & 0x10000) != 0)
			totals->slot[C_THREAD] += 1;
	}
	return 0;
}

SEC("fexit")
int BPF_PROG(clone_fexit, struct kernel_clone_args *args)
{
	long ret = 0;
	struct totals *each[TOTALS_PER_EVENT] = {};

	bpf_get_func_ret(ctx, (u64 *)&ret);
	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if ((int)ret < 0 && !((BPF_CORE_READ(args, flags) & 0x10000) != 0))
			totals->slot[C_PROCESS_ERROR] += 1;
		if ((int)ret < 0 && (BPF_CORE_READ(args, flags) & 0x10000) != 0)
			totals->slot[C_THREAD_ERROR] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(clone_stash_kprobe, struct kernel_clone_args *args)
{
	struct comm_key comm = {};

	if (current_wanted(&comm))
		stash_put((BPF_CORE_READ(args, flags) & 0x10000) != 0);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(clone_kretprobe, long ret)
{
	bool stash = stash_take();
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if ((int)ret < 0 && !stash)
			totals->slot[C_PROCESS_ERROR] += 1;
		if ((int)ret < 0 && stash)
			totals->slot[C_THREAD_ERROR] += 1;
	}
	return 0;
}

SEC("tracepoint")
int clone_stash_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct comm_key comm = {};

	if (current_wanted(&comm))
		stash_put((ctx->args[0] & 0x10000) != 0);
	return 0;
}

SEC("tracepoint")
int clone_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	bool stash = stash_take();
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if (ret < 0 && !stash)
			totals->slot[C_PROCESS_ERROR] += 1;
		if (ret < 0 && stash)
			totals->slot[C_THREAD_ERROR] += 1;
	}
	return 0;
}

SEC("tracepoint")
int clone3_stash_tp(struct trace_event_raw_sys_enter *ctx)
{
	struct comm_key comm = {};

	if (current_wanted(&comm))
		stash_put((user_u64(ctx->args[0]) & 0x10000) != 0);
	return 0;
}

SEC("tracepoint")
int clone3_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	bool stash = stash_take();
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if (ret < 0 && !stash)
			totals->slot[C_PROCESS_ERROR] += 1;
		if (ret < 0 && stash)
			totals->slot[C_THREAD_ERROR] += 1;
	}
	return 0;
}

SEC("tracepoint")
int fork_tp_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		if (ret < 0)
			totals->slot[C_PROCESS_ERROR] += 1;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(exit_fentry)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_EXIT] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(exit_kprobe)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_EXIT] += 1;
	}
	return 0;
}

SEC("tracepoint")
int exit_tp(void *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!current_totals(each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_EXIT] += 1;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(release_fentry, struct task_struct *p)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!released_task_totals(p, each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_RELEASE] += 1;
	}
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(release_kprobe, struct task_struct *p)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!released_task_totals(p, each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_RELEASE] += 1;
	}
	return 0;
}

SEC("raw_tp")
int release_tp(struct bpf_raw_tracepoint_args *ctx)
{
	struct totals *each[TOTALS_PER_EVENT] = {};

	if (!released_task_totals(raw_task(ctx), each))
		return 0;
	#pragma unroll
	for (int i = 0; i < TOTALS_PER_EVENT; i++) {
		struct totals *totals = each[i];

		if (!totals)
			continue;
		totals->slot[C_RELEASE] += 1;
	}
	return 0;
}
