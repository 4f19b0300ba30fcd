// SPDX-License-Identifier: GPL-3.0-or-later
// `--probe`: what the helper, with its own privileges, can use on this kernel.
#ifndef EBPF_PROCESS_PROBE_H
#define EBPF_PROCESS_PROBE_H

// Prints one JSON line about tracefs, the given tracepoints, BPF and trampolines; returns an exit code.
int run_probe(int count, char **tracepoints);

#endif
