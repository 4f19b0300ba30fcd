// SPDX-License-Identifier: GPL-3.0-or-later
// `--probe [SUBSYSTEM:EVENT ...]`: the plugin's Node process may run as a user that can neither read
// tracefs nor load BPF, while this binary holds file capabilities. So the helper reports, in one JSON
// line, what it can use: tracefs, which of the given tracepoints exist, whether it can load a BPF
// program, and whether an fentry program both loads and attaches (kernels may refuse trampolines, e.g.
// with EPERM, while tracepoints work), and whether task local storage can cache the keys' slots (attach.c).
// Nothing stays loaded: every fd is closed before it prints.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "attach.h"
#include "options.h"
#include "probe.h"

#define NAME "ebpf-process-helper"
#define MAX_PROBED 128
// In every kernel's BTF since fentry exists (5.5), and a catalogue target anyway.
#define TRAMPOLINE_TARGET "vfs_read"

static const char *const tracefs_candidates[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

// r0 = 0; exit: the smallest program every program type accepts.
static const struct bpf_insn return_zero[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

// stat, not access(): access() checks the real uid without our capabilities (CAP_DAC_READ_SEARCH).
static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *find_tracefs(void)
{
	char events[64];

	for (size_t i = 0; i < sizeof(tracefs_candidates) / sizeof(tracefs_candidates[0]); i++) {
		snprintf(events, sizeof(events), "%s/events", tracefs_candidates[i]);
		if (is_dir(events))
			return tracefs_candidates[i];
	}
	return NULL;
}

// libbpf attaches through events/<subsystem>/<event>/id: that file is what must be there.
static bool tracepoint_present(const char *tracefs, const char *name)
{
	const char *colon = strchr(name, ':');
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events/%.*s/%s/id", tracefs, (int)(colon - name), name, colon + 1);
	return stat(path, &st) == 0;
}

static bool can_load_bpf(void)
{
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, NULL, "GPL", return_zero, 2, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

// "usable", "refused" (*err says why) or "unknown" (no kernel BTF to name a target with).
// Loading alone is not enough: some kernels load fentry programs and refuse the attach.
static const char *probe_trampoline(int *err)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int target = vmlinux ? btf__find_by_name_kind(vmlinux, TRAMPOLINE_TARGET, BTF_KIND_FUNC) : -1;
	int prog, link;

	btf__free(vmlinux);
	if (target <= 0)
		return "unknown";
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY, .attach_btf_id = target);
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", return_zero, 2, &opts);
	if (prog < 0) {
		*err = -prog;
		return "refused";
	}
	link = bpf_link_create(prog, 0, BPF_TRACE_FENTRY, NULL);
	if (link < 0)
		*err = -link;
	else
		close(link);
	close(prog);
	return link < 0 ? "refused" : "usable";
}

bool slot_cache_supported(void)
{
	return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) == 1 &&
	       libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_get_current_task_btf, NULL) == 1;
}

int run_probe(int count, char **tracepoints)
{
	const char *tracefs, *trampoline;
	bool bpf, first = true;
	int err = 0;

	if (count > MAX_PROBED) {
		fprintf(stderr, NAME ": --probe takes at most %d tracepoints, got %d\n", MAX_PROBED, count);
		return EXIT_USAGE;
	}
	for (int i = 0; i < count; i++) {
		if (!valid_tracepoint_name(tracepoints[i])) {
			fprintf(stderr, NAME ": --probe: bad tracepoint '%s'; use subsystem:event\n", tracepoints[i]);
			return EXIT_USAGE;
		}
	}
	tracefs = find_tracefs();
	bpf = can_load_bpf();
	// Without BPF at all, a refused fentry says nothing about the kernel.
	trampoline = bpf ? probe_trampoline(&err) : "unknown";
	// Names were validated above (letters, digits, _ and one colon): they need no JSON escaping.
	printf("{\"euid\":%u,\"tracefs\":", (unsigned int)geteuid());
	if (tracefs)
		printf("\"%s\"", tracefs);
	else
		fputs("null", stdout);
	printf(",\"tracepoints\":[");
	for (int i = 0; tracefs && i < count; i++) {
		if (!tracepoint_present(tracefs, tracepoints[i]))
			continue;
		printf("%s\"%s\"", first ? "" : ",", tracepoints[i]);
		first = false;
	}
	printf("],\"bpf\":%s,\"trampoline\":\"%s\"", bpf ? "true" : "false", trampoline);
	if (err)
		printf(",\"trampoline_errno\":%d", err);
	printf(",\"task_storage\":%s}\n", bpf && slot_cache_supported() ? "true" : "false");
	return fflush(stdout) == 0 ? 0 : EXIT_FATAL;
}
