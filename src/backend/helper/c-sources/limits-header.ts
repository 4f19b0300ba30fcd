// SPDX-License-Identifier: GPL-3.0-or-later
// The C header of src/limits.ts: the helper's C code includes it instead of restating a limit.
import {
  commCharacterSets,
  commCharacters,
  helperIntervalMs,
  helperMaps,
  keyTableEntries,
  pidMaxLimit,
  taskCommLength,
} from '../../../limits.js';

const macros: ReadonlyArray<readonly [name: string, value: number | string, why: string]> = [
  ['INTERVAL_MS_MIN', helperIntervalMs.min, '--interval-ms range'],
  ['INTERVAL_MS_MAX', helperIntervalMs.max, ''],
  ['PID_MAX', pidMaxLimit, "the kernel's PID_MAX_LIMIT: bounds --pid and every tracked id"],
  ['COMM_LEN', taskCommLength, "the kernel's TASK_COMM_LEN, with the NUL"],
  ['COMM_NAME_MAX', taskCommLength - 1, 'the longest name --comm may give'],
  ['COMM_CHARS', commCharacters, 'the characters --comm may hold, and the same said to a person'],
  ['COMM_CHARS_TEXT', commCharacterSets.join(' '), ''],
  ['TRACKED_MAX', helperMaps.trackedTasks, 'tasks followed by --pid at once'],
  ['STASH_MAX', helperMaps.stashedCalls, "values taken at a syscall's entry and read at its exit, one per thread in flight"],
  ['APP_NAMES_MAX', helperMaps.appNames, 'the most apps_groups.conf names --app-names gives'],
  ['INHERITED_MAX', helperMaps.inheritedTasks, "tasks counted under an ancestor's name at once"],
  ['KEY_TABLE_MAX', keyTableEntries.max, 'the largest --per-cgroup and --per-comm table'],
];

const cValue = (value: number | string): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));

export const limitsHeader = (): string =>
  [
    '// Generated from src/limits.ts by src/backend/helper/c-sources/emit.ts (make runs it): do not edit.',
    '#ifndef EBPF_PROCESS_LIMITS_GEN_H',
    '#define EBPF_PROCESS_LIMITS_GEN_H',
    '',
    ...macros.flatMap(([name, value, why]) => [...(why ? [`// ${why}`] : []), `#define ${name} ${cValue(value)}`]),
    '',
    '#endif',
    '',
  ].join('\n');
