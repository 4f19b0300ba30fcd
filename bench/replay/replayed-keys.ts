// SPDX-License-Identifier: GPL-3.0-or-later
// The keys a replay counts by: cgroup ids (as the kernel map prints them) or command names, the same in the replayed
// backend and in the plugin that reads it, so that every key is a followed cgroup or a name of apps_groups.conf's.
import type { CounterKey } from '../../src/plan/counter-keys.js';

const firstCgroupId = 100_000;
// Names of the stock apps_groups.conf's groups, numbered: a thousand names fall into a few groups, as on a host.
const names = ['nginx', 'sshd', 'postgres', 'mysqld', 'bash', 'python3', 'node', 'java', 'dockerd', 'cron'];

export const replayedKeys = (key: CounterKey, count: number): string[] =>
  Array.from({ length: count }, (_, index) =>
    key === 'cgroup' ? String(firstCgroupId + index) : `${names[index % names.length]}${Math.floor(index / names.length)}`.slice(0, 15),
  );
