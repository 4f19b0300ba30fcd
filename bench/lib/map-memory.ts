// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel memory of the BPF maps a set of processes holds, from their fdinfo (memlock: what the map is
// charged), each map once however many fds name it.
import { fdinfoOfAll, mapsIn, numberField } from '../../src/self-cost/bpf-fdinfo.js';

export const mapMemoryMiB = async (pids: readonly number[]): Promise<number> =>
  [...mapsIn(fdinfoOfAll(pids)).values()].reduce((sum, info) => sum + numberField(info, 'memlock'), 0) / 2 ** 20;
