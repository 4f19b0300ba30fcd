// SPDX-License-Identifier: GPL-3.0-or-later
// The BPF programs and maps a process holds open, from /proc/<pid>/fdinfo: a program fd or a link fd names a
// program (prog_id; the program fd also has run_time_ns, run_cnt, recursion_misses), a map fd a map (map_id,
// memlock). Only the given processes are read, never anyone else's programs.
import { readdirSync, readFileSync } from 'node:fs';

/** One fd's fdinfo fields: "prog_id" -> "12". */
export type FdInfo = ReadonlyMap<string, string>;

const parse = (text: string): FdInfo =>
  new Map(
    text.split('\n').flatMap((line) => {
      const field = /^(\w+):\s*(.*)$/.exec(line);
      return field ? [[field[1]!, field[2]!.trim()] as const] : [];
    }),
  );

/** Every fd's fdinfo; undefined when the process is gone or not ours to read (a capable helper is not dumpable). */
export const fdinfoOf = (pid: number): FdInfo[] | undefined => {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fdinfo`);
  } catch {
    return undefined;
  }
  return fds.flatMap((fd) => {
    try {
      return [parse(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))];
    } catch {
      return []; // closed meanwhile
    }
  });
};

/** The fdinfo of every fd of these processes, those that can be read. */
export const fdinfoOfAll = (pids: readonly number[]): FdInfo[] => pids.flatMap((pid) => fdinfoOf(pid) ?? []);

const byId = (infos: readonly FdInfo[], idField: string, preferWith: string): Map<number, FdInfo> => {
  const held = new Map<number, FdInfo>();
  for (const info of infos) {
    const id = info.get(idField);
    if (id !== undefined && (!held.has(Number(id)) || info.has(preferWith))) held.set(Number(id), info);
  }
  return held;
};

/** Each program once, however many fds name it, with its program fd's fields when one is held. */
export const programsIn = (infos: readonly FdInfo[]): Map<number, FdInfo> => byId(infos, 'prog_id', 'run_cnt');

/** Each map once, however many fds name it. */
export const mapsIn = (infos: readonly FdInfo[]): Map<number, FdInfo> => byId(infos, 'map_id', 'memlock');

/** A numeric field, 0 when the kernel does not give it (statistics off, an older kernel). */
export const numberField = (info: FdInfo, field: string): number => Number(info.get(field) ?? 0);
