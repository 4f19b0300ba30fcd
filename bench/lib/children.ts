// SPDX-License-Identifier: GPL-3.0-or-later
// Every process the bench starts is registered here with the backends it spawned, so that a failing or
// interrupted bench still ends each one, by pid, and the next measurement never runs beside a leftover.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning } from '../../src/self-cost/proc-stat.js';

const started = new Set<number>();

export const track = (pid: number): void => {
  started.add(pid);
};
export const untrack = (pid: number): void => {
  started.delete(pid);
};

/** Children, grandchildren, ... of a live process (bpftrace or the helper under the plugin). */
export const descendants = async (pid: number): Promise<number[]> => {
  let children: number[];
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    children = text.split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  const below = await Promise.all(children.map(descendants));
  return [...children, ...below.flat()];
};

const signal = (pid: number, name: NodeJS.Signals): void => {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
};

/** Waits until none of the pids lives; false when the time ran out. */
export const waitGone = async (pids: readonly number[], timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pids.some(isRunning)) return true;
    await sleep(20);
  }
  return false;
};

/** SIGTERM the process, give it (and what it started) time to stop cleanly, then SIGKILL the rest. */
export const endTree = async (pid: number, graceMs = 5000): Promise<void> => {
  const tree = [pid, ...(await descendants(pid))];
  signal(pid, 'SIGTERM');
  if (!(await waitGone(tree, graceMs))) {
    tree.forEach((each) => signal(each, 'SIGKILL'));
    await waitGone(tree, 2000);
  }
  untrack(pid);
};

/** Ends everything still registered: the bench's exit path, also after a failure. */
export const endAll = async (): Promise<void> => {
  await Promise.all([...started].map((pid) => endTree(pid, 3000)));
};
