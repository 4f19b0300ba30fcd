// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's output: the same NDJSON lines bpftrace 0.17 prints with `-f json`.
#ifndef EBPF_PROCESS_REPORT_H
#define EBPF_PROCESS_REPORT_H

#include <stdio.h>

// The counter ids of src/plan/counters.ts, indexed by enum counter; -1 when name is not one.
int counter_by_name(const char *name);

int print_attached(FILE *out, int probes);
// One map line per counter (per-CPU values summed); -1 when the map cannot be read.
int print_counters(FILE *out, int counters_fd, const int *counters, int count);
// The sample marker after the interval's maps; -1 when out is gone.
int print_sample_end(FILE *out);

#endif
