// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/<pid>/stat, which the kernel shows to every user, split into its fields.
import { readFileSync } from 'node:fs';

/** The fields after the command name (field 2, which may hold spaces and parentheses: the split starts after its
 *  last ')'). Index 0 is proc(5)'s field 3 (state), 1 its ppid, 11 and 12 utime and stime. Undefined once gone. */
export const statFields = (pid: number | 'self'): string[] | undefined => {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
};

/** Whether a process state (statFields' index 0) is that of a process that has ended: gone, zombie or dead. */
export const hasEnded = (state: string | undefined): boolean => state === undefined || state === 'Z' || state === 'X';

/** Whether a process is there and has not ended. */
export const isRunning = (pid: number): boolean => !hasEnded(statFields(pid)?.[0]);
