// SPDX-License-Identifier: GPL-3.0-or-later
// Every limit that the plugin, its backends and the C helper share, stated once. The helper's C code reads
// them from a header generated from this module at build time (src/backend/helper/c-sources/limits-header.ts).

/** Seconds between updates: Netdata's update_every, the config's `update every`, `script --interval`. */
export const updateEverySeconds = { min: 1, max: 3600 } as const;

/** `max kernel cpu window`: up to the longest update interval (it is rounded up to whole updates). */
export const budgetWindowSeconds = updateEverySeconds;

/** The helper prints every this many milliseconds: tests sample faster than the plugin's 1 s, up to its longest interval. */
export const helperIntervalMs = { min: 100, max: updateEverySeconds.max * 1000 } as const;

/** Linux's PID_MAX_LIMIT (2^22): no process or thread id is larger. */
export const pidMaxLimit = 4_194_304;

/** Linux's TASK_COMM_LEN: a task's name is at most 15 bytes and a NUL. */
export const taskCommLength = 16;

/** What a `comm` filter may hold, as ranges and single characters: names of real programs, and nothing a
 *  script or a shell reads as code. */
export const commCharacterSets = ['A-Z', 'a-z', '0-9', '_', '.', ':', '+', '@', '-'] as const;

/** Every character of commCharacterSets, spelled out (for the helper's C check). */
export const commCharacters = commCharacterSets
  .map((set) =>
    set.length === 3
      ? Array.from({ length: set.charCodeAt(2) - set.charCodeAt(0) + 1 }, (_, offset) =>
          String.fromCharCode(set.charCodeAt(0) + offset),
        ).join('')
      : set,
  )
  .join('');

/** The one `comm` rule, for the task filter, the helper's argv and the helper itself. */
export const commPattern = new RegExp(
  `^[${commCharacterSets.map((set) => (set === '-' ? '\\-' : set)).join('')}]{1,${taskCommLength - 1}}$`,
);
export const commRule = `a command name of 1-${taskCommLength - 1} characters from ${commCharacterSets.join(' ')}`;

/** The helper's BPF map sizes. */
export const helperMaps = {
  /** Tasks followed by --pid (thread and process ids) at once. */
  trackedTasks: 32_768,
  /** Values taken at a syscall's entry and read at its exit: one per thread in flight. */
  stashedCalls: 16_384,
  /** apps_groups.conf's names given to the kernel to decide inherited groups (apps = yes): the stock file has ~500. */
  appNames: 4_096,
  /** Tasks counted under an ancestor's name at once (their own matches no apps_groups.conf name). */
  inheritedTasks: 65_536,
} as const;

/** Entries of a per-key table (`cgroup table size`, `apps table size`): the kernel allocates a per-CPU value of
 *  every counter per entry, so 65536 is already tens of MB on a large host. */
export const keyTableEntries = { min: 1, max: 65_536 } as const;
