// SPDX-License-Identifier: GPL-3.0-or-later
// Writes counters as bpftrace's JSON map prints, so one parser serves both backends, and the helper's own
// events as typed lines.
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "process.h"
#include "report.h"

#define NAME "ebpf-process-helper"

static const char *const counter_names[COUNTER_COUNT] = COUNTER_NAMES;

// The lines that delimit samples, as bpftrace prints them: src/backend/markers.ts states the same lines, and
// test/backend/markers.unit.test.ts checks that these literals still equal them.
#define ATTACHED_LINE "{\"type\": \"attached_probes\", \"data\": {\"probes\": %d}}\n"
#define SAMPLE_MARKER_LINE "{\"type\": \"printf\", \"data\": \"sample\\n\"}\n"

const char *counter_name(int counter)
{
	return counter_names[counter];
}

int counter_by_name(const char *name)
{
	for (int i = 0; i < COUNTER_COUNT; i++)
		if (strcmp(counter_names[i], name) == 0)
			return i;
	return -1;
}

int print_attached(FILE *out, int probes)
{
	fprintf(out, ATTACHED_LINE, probes);
	return fflush(out) == 0 ? 0 : -1;
}

int print_counters(FILE *out, int counters_fd, const int *counters, int count)
{
	int cpus = libbpf_num_possible_cpus();
	unsigned int key = 0;

	if (cpus <= 0)
		return -1;
	struct totals per_cpu[cpus];
	if (bpf_map_lookup_elem(counters_fd, &key, per_cpu) != 0)
		return -1;
	for (int i = 0; i < count; i++) {
		unsigned long long total = 0;

		for (int cpu = 0; cpu < cpus; cpu++)
			total += per_cpu[cpu].slot[counters[i]];
		fprintf(out, "{\"type\": \"map\", \"data\": {\"@%s\": %llu}}\n", counter_names[counters[i]], total);
	}
	return ferror(out) ? -1 : 0;
}

int print_sample_end(FILE *out)
{
	// The bpftrace script ends each interval with the same printf.
	fputs(SAMPLE_MARKER_LINE, out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

// Names and targets were validated, but a --btf path, an error text or a command name may hold anything.
void put_json_string(FILE *out, const char *text, size_t max)
{
	fputc('"', out);
	for (size_t i = 0; i < max && text[i]; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void put_string(const char *text)
{
	put_json_string(stdout, text, SIZE_MAX);
}

static void put_field(const char *key, const char *value)
{
	printf(", \"%s\": ", key);
	put_string(value);
}

static void begin_event(const char *event, const char *program, const char *kind)
{
	printf("{\"event\": \"%s\"", event);
	if (program) {
		put_field("program", program);
		put_field("kind", kind);
	}
}

// Flushed at once: the plugin may read it while the helper still tries the other programs.
static void end_event(int err, const char *reason)
{
	printf(", \"errno\": %d", err);
	put_field("reason", reason);
	puts("}");
	fflush(stdout);
}

void report_attach_failed(const char *program, const char *kind, const char *target, int err, const char *reason)
{
	reason = reason ? reason : strerror(err);
	begin_event("attach_failed", program, kind);
	put_field("target", target);
	end_event(err, reason);
	fprintf(stderr, NAME ": attach failed: %s:%s (%s)\n", kind, target, reason);
}

void report_program_refused(const char *program, const char *kind, const char *const *targets, int count, int err)
{
	begin_event("program_refused", program, kind);
	fputs(", \"targets\": [", stdout);
	for (int i = 0; i < count; i++) {
		fputs(i ? ", " : "", stdout);
		put_string(targets[i]);
	}
	putchar(']');
	end_event(err, strerror(err));
	fprintf(stderr, NAME ": the kernel refused to load %s (%s); run with --verbose for the verifier log\n", program,
		strerror(err));
}

void report_start_failed(const char *stage, int err)
{
	begin_event("start_failed", NULL, NULL);
	put_field("stage", stage);
	end_event(err, strerror(err));
}

void report_btf_rejected(const char *path)
{
	begin_event("btf_rejected", NULL, NULL);
	put_field("path", path);
	puts("}");
	fflush(stdout);
	fprintf(stderr, NAME ": the programs load with the kernel's BTF but not with --btf %s: it was made for another build "
		"of the helper or kernel; regenerate it (ebpf-process install, or scripts/setup.sh)\n", path);
}
