// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's output: the same NDJSON lines bpftrace 0.17 prints with `-f json`, and its own events as
// typed lines ({"event": ...}) that src/samples/helper-events.ts parses. Each event is also told on stderr
// for people; the plugin reads only the stdout line.
#ifndef EBPF_PROCESS_REPORT_H
#define EBPF_PROCESS_REPORT_H

#include <stdint.h>
#include <stdio.h>

// text (at most max bytes of it) as a JSON string: quotes, backslashes and bytes outside printable ASCII escaped.
void put_json_string(FILE *out, const char *text, size_t max);

// The counter ids of src/plan/counters.ts, indexed by enum counter; -1 when name is not one.
int counter_by_name(const char *name);

int print_attached(FILE *out, int probes);
// One map line per counter (per-CPU values summed); -1 when the map cannot be read.
int print_counters(FILE *out, int counters_fd, const int *counters, int count);
// The sample marker after the interval's maps; -1 when out is gone.
int print_sample_end(FILE *out);

// A target that could not be attached, with its errno; reason NULL: strerror(err).
void report_attach_failed(const char *program, const char *kind, const char *target, int err, const char *reason);
// The kernel refused to load the program (the verifier, or a kind the kernel refuses): none of its targets run.
void report_program_refused(const char *program, const char *kind, const char *const *targets, int count, int err);
// The helper cannot count at all and exits: stage "load" (no single program was to blame) or "follow_pid"
// (--pid's own tracepoints). The caller tells people on stderr.
void report_start_failed(const char *stage, int err);
// --btf did not fit the object: loaded with the kernel's BTF instead.
void report_btf_rejected(const char *path);

#endif
