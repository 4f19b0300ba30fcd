// Generated from src/limits.ts by src/backend/helper/c-sources/emit.ts (make runs it): do not edit.
#ifndef EBPF_PROCESS_LIMITS_GEN_H
#define EBPF_PROCESS_LIMITS_GEN_H

// --interval-ms range
#define INTERVAL_MS_MIN 100
#define INTERVAL_MS_MAX 3600000
// the kernel's PID_MAX_LIMIT: bounds --pid and every tracked id
#define PID_MAX 4194304
// the kernel's TASK_COMM_LEN, with the NUL
#define COMM_LEN 16
// the longest name --comm may give
#define COMM_NAME_MAX 15
// the characters --comm may hold, and the same said to a person
#define COMM_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:+@-"
#define COMM_CHARS_TEXT "A-Z a-z 0-9 _ . : + @ -"
// tasks followed by --pid at once
#define TRACKED_MAX 32768
// values taken at a syscall's entry and read at its exit, one per thread in flight
#define STASH_MAX 16384
// the most apps_groups.conf names --app-names gives
#define APP_NAMES_MAX 4096
// tasks counted under an ancestor's name at once
#define INHERITED_MAX 65536
// the largest --per-cgroup and --per-comm table
#define KEY_TABLE_MAX 65536

#endif
