// SPDX-License-Identifier: GPL-3.0-or-later
// `--probe`: what the helper, with its own privileges, can use on this kernel.
#ifndef EBPF_PROCESS_PROBE_H
#define EBPF_PROCESS_PROBE_H

#include <stdbool.h>

// Prints one JSON line about tracefs, the given tracepoints, BPF and trampolines; returns an exit code.
int run_probe(int count, char **tracepoints);
// Whether the slot cache of process.bpf.c loads: task local storage and bpf_get_current_task_btf (5.11).
bool slot_cache_supported(void);

#endif
