// SPDX-License-Identifier: GPL-3.0-or-later
// One scan per update: the cgroups under the v2 mount, named by Netdata's shared list when it can be read,
// else by their paths. Each problem (no cgroup v2; a list that cannot be used) is logged once, with its fix.
import { readCgroupMounts, type CgroupMounts } from './cgroup-mounts.js';
import type { CgroupIdentity } from './cgroup-identity.js';
import { cgroupSetup } from './cgroup-setup.js';
import { identityFromPath } from './identity-from-path.js';
import { nameCgroups, type NamedCgroup } from './name-cgroups.js';
import { netdataCgroupListFile, readShmCgroupList } from './read-shm-cgroup-list.js';
import { walkCgroups } from './walk-cgroups.js';

export interface CgroupDiscoveryFiles {
  readonly mountinfo?: string;
  readonly netdataList?: string;
}

export class CgroupDiscovery {
  readonly #root: string;
  readonly #mounts: CgroupMounts;
  readonly #netdataList: string;
  readonly #log: (message: string) => void;
  readonly #logged = new Set<string>();
  /** The names the paths of the last walk got (naming a path is pure): the same cgroups are found walk after walk. */
  #fromPath = new Map<string, CgroupIdentity>();

  private constructor(root: string, mounts: CgroupMounts, netdataList: string, log: (message: string) => void) {
    this.#root = root;
    this.#mounts = mounts;
    this.#netdataList = netdataList;
    this.#log = log;
  }

  /** undefined (after logging why and how to fix it) when this host has no cgroup v2 to count by. */
  static async open(log: (message: string) => void, files: CgroupDiscoveryFiles = {}): Promise<CgroupDiscovery | undefined> {
    const mounts = await readCgroupMounts(files.mountinfo);
    const setup = cgroupSetup(mounts);
    if (setup.kind !== 'v2') {
      log(setup.problem);
      return undefined;
    }
    return new CgroupDiscovery(setup.root, mounts, files.netdataList ?? netdataCgroupListFile, log);
  }

  get root(): string {
    return this.#root;
  }

  async scan(): Promise<NamedCgroup[]> {
    const [discovered, shared] = await Promise.all([walkCgroups(this.#root), readShmCgroupList(this.#netdataList)]);
    if (shared.kind === 'unusable') this.#logOnce(shared.problem);
    const before = this.#fromPath;
    const now = new Map<string, CgroupIdentity>();
    const fromPath = (path: string): CgroupIdentity => {
      const identity = before.get(path) ?? identityFromPath(path);
      now.set(path, identity);
      return identity;
    };
    const named = nameCgroups(discovered, this.#mounts, shared.kind === 'list' ? shared.list : undefined, fromPath);
    this.#fromPath = now;
    return named;
  }

  #logOnce(message: string): void {
    if (this.#logged.has(message)) return;
    this.#logged.add(message);
    this.#log(message);
  }
}
