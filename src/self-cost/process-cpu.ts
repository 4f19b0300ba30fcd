// SPDX-License-Identifier: GPL-3.0-or-later
// A process's CPU time (user + system) from /proc/<pid>/stat: the kernel shows these fields to every user,
// so the plugin running as `netdata` reads them for the capable helper too, which is not dumpable.
import { statFields } from './proc-stat.js';

/** USER_HZ, the unit of /proc's times: 100 on every architecture Netdata runs on (node cannot ask sysconf). */
const nsPerTick = 10_000_000n;

/** Nanoseconds of CPU the process used so far, in whole ticks; undefined once it is gone. */
export const processCpuNs = (pid: number | 'self'): bigint | undefined => {
  const fields = statFields(pid);
  const [utime, stime] = [fields?.[11], fields?.[12]]; // fields 14 and 15 of proc(5)
  return utime && stime && /^\d+$/.test(utime) && /^\d+$/.test(stime) ? (BigInt(utime) + BigInt(stime)) * nsPerTick : undefined;
};
