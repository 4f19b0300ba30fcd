// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel memory of the BPF maps a set of processes holds, from their fdinfo (memlock: what the map is
// charged), each map once however many fds name it.
import { readdir, readFile } from 'node:fs/promises';

export const mapMemoryMiB = async (pids: readonly number[]): Promise<number> => {
  const maps = new Map<string, number>();
  for (const pid of pids) {
    for (const fd of await readdir(`/proc/${pid}/fdinfo`).catch(() => [])) {
      const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
      const id = /^map_id:\s*(\d+)$/m.exec(info)?.[1];
      const memlock = /^memlock:\s*(\d+)$/m.exec(info)?.[1];
      if (id && memlock) maps.set(id, Number(memlock));
    }
  }
  return [...maps.values()].reduce((sum, bytes) => sum + bytes, 0) / 2 ** 20;
};
