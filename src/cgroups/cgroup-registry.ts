// SPDX-License-Identifier: GPL-3.0-or-later
// The cgroups the plugin follows, refreshed each update from what is on disk now: which appeared (their charts
// are made in this update) and which went away (charts obsolete, their kernel map entries to delete). Bounded
// by `cgroup table size`, the size of the kernel's per-cgroup map: cgroups beyond it are not followed, and how
// many did not fit is counted for the health chart. Followed cgroups keep their place while they exist.
import type { NamedCgroup } from './cgroup-discovery.js';

export interface RegistryRefresh {
  readonly appeared: readonly NamedCgroup[];
  readonly gone: readonly NamedCgroup[];
  /** Cgroups on disk now that the table had no room for. */
  readonly notFitting: number;
}

export class CgroupRegistry {
  readonly #capacity: number;
  #followed = new Map<bigint, NamedCgroup>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`cgroup table size ${capacity}: expected a whole number of at least 1`);
    this.#capacity = capacity;
  }

  /** The followed cgroups, in the order they were first seen; a name may have changed since (Netdata's list arrived). */
  get followed(): readonly NamedCgroup[] {
    return [...this.#followed.values()];
  }

  refresh(present: readonly NamedCgroup[]): RegistryRefresh {
    const presentIds = new Set(present.map((cgroup) => cgroup.id));
    const gone = [...this.#followed.values()].filter((cgroup) => !presentIds.has(cgroup.id));
    gone.forEach((cgroup) => this.#followed.delete(cgroup.id));
    const appeared: NamedCgroup[] = [];
    let notFitting = 0;
    for (const cgroup of present) {
      if (this.#followed.has(cgroup.id)) this.#followed.set(cgroup.id, cgroup);
      else if (this.#followed.size < this.#capacity) {
        this.#followed.set(cgroup.id, cgroup);
        appeared.push(cgroup);
      } else notFitting += 1;
    }
    return { appeared, gone, notFitting };
  }
}
