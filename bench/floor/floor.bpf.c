// SPDX-License-Identifier: GPL-3.0-or-later
// The floor: the least a counter on a tracepoint can cost. One program, attached to every tracepoint the
// plan uses, adds one to a per-CPU slot and nothing else.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

SEC("tracepoint")
int count_hit(void *ctx)
{
	__u32 slot = 0;
	__u64 *total = bpf_map_lookup_elem(&hits, &slot);

	if (total)
		(*total)++;
	return 0;
}
