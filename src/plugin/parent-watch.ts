// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata killed outright does not always close our stdout: another process may hold the pipe's read end (seen once
// in a loaded test run: the plugin, bpftrace and the helper were still there 30 s after Netdata's SIGKILL). Its death
// always shows as a new parent pid, so the plugin also stops when its parent changes.

/** Calls `onGone` with the old parent's pid once this process is reparented; checked every `everyMs`. Returns the
 *  stop function. The timer does not keep the process alive. */
export const watchParent = (onGone: (parent: number) => void, everyMs = 1000): (() => void) => {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone(parent);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
};
