// SPDX-License-Identifier: GPL-3.0-or-later
// Finding the host's cgroups: the cgroup mounts, whether per-cgroup counting can work, the v2 hierarchy's
// directories, and their names (Netdata's, else from the path), once per update.
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import path from 'node:path';
import { identityFromPath, identityFromShm, type CgroupIdentity } from './cgroup-identity.js';
import { netdataCgroupListFile, readShmCgroupList, type ShmCgroupList, type ShmCgroupRecord } from './netdata-shm-list.js';

// Where the cgroup filesystems are mounted, read from /proc/self/mountinfo: the v2 (unified) mount, if any, and
// the v1 controller mounts. Both are needed: ids come from v2, while Netdata's shared list may name v1 paths.
export interface CgroupMounts {
  /** Mount point of the cgroup2 filesystem (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts). */
  readonly v2: string | undefined;
  /** Mount points of cgroup v1 hierarchies (one per controller or named hierarchy). */
  readonly v1: readonly string[];
}

// mountinfo escapes space, tab, newline and backslash in paths as octal.
const unescapeMountPath = (path: string): string =>
  path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** Fields: id parent major:minor root mountpoint options [optional...] - fstype source superoptions. */
export const parseCgroupMounts = (mountinfo: string): CgroupMounts => {
  let v2: string | undefined;
  const v1: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 5) continue;
    const fsType = fields[separator + 1];
    const mountPoint = unescapeMountPath(fields[4]!);
    // The first cgroup2 mount is the host's; later ones are bind mounts (chroots, containers) of the same tree.
    if (fsType === 'cgroup2' && v2 === undefined) v2 = mountPoint;
    else if (fsType === 'cgroup') v1.push(mountPoint);
  }
  return { v2, v1 };
};

export const readCgroupMounts = async (mountinfoFile = '/proc/self/mountinfo'): Promise<CgroupMounts> =>
  parseCgroupMounts(await readFile(mountinfoFile, 'utf8'));

// Whether per-cgroup counting can work here. The kernel's cgroup id (bpf_get_current_cgroup_id(), bpftrace's
// `cgroup`) is the task's cgroup in the v2 hierarchy, so only a mounted cgroup2 lets us name what we count.
export type CgroupSetup =
  | { readonly kind: 'v2'; readonly root: string }
  | { readonly kind: 'v1-only'; readonly problem: string }
  | { readonly kind: 'none'; readonly problem: string };

export const cgroupSetup = (mounts: CgroupMounts): CgroupSetup => {
  // On hybrid hosts (v1 controllers beside cgroup2 at /sys/fs/cgroup/unified) the ids are still v2 ids.
  if (mounts.v2 !== undefined) return { kind: 'v2', root: mounts.v2 };
  if (mounts.v1.length > 0) {
    return {
      kind: 'v1-only',
      problem:
        `cgroups: only cgroup v1 is mounted (${mounts.v1.join(', ')}); the kernel's cgroup ids belong to cgroup v2, ` +
        'so per-cgroup charts are off and the host charts continue. Fix: boot with systemd.unified_cgroup_hierarchy=1 ' +
        '(or mount cgroup2 somewhere: mount -t cgroup2 none /sys/fs/cgroup/unified), or set `cgroups = no`.',
    };
  }
  return {
    kind: 'none',
    problem:
      'cgroups: no cgroup filesystem is mounted (none in /proc/self/mountinfo), so per-cgroup charts are off and the ' +
      'host charts continue. Fix: mount cgroup2 (mount -t cgroup2 none /sys/fs/cgroup); in a container, share the ' +
      "host's /sys/fs/cgroup; or set `cgroups = no`.",
  };
};

// Every cgroup of the v2 hierarchy: a directory under its mount. Its id is the directory's inode number, the
// value bpf_get_current_cgroup_id() and bpftrace's `cgroup` return for tasks inside it (kernfs ids, 64 bit).
export interface DiscoveredCgroup {
  readonly id: bigint;
  /** Path below the mount, as Netdata's cgroups.plugin writes it: "/" for the root, "/system.slice/x.service". */
  readonly path: string;
}

// Cgroups come and go while we walk: one that vanished is simply not there this time.
const vanished = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

// A stat in numbers: a bigint stat makes a dozen bigints, for every cgroup of every walk. Ids fit in 2^53 (a
// kernfs id is a 32-bit number under a count of its wrap-arounds); one that does not is read again exactly.
const inodeOf = (directory: string): bigint | undefined => {
  try {
    const { ino } = statSync(directory);
    return Number.isSafeInteger(ino) ? BigInt(ino) : statSync(directory, { bigint: true }).ino;
  } catch (error) {
    if (vanished(error)) return undefined;
    throw error;
  }
};

// One readdir per cgroup, not an opendir iterated entry by entry: the walk runs every few updates over every
// cgroup, hundreds of them.
const childDirectories = (directory: string): string[] => {
  try {
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    if (vanished(error)) return [];
    throw error;
  }
};

// cgroupfs answers from memory: synchronous calls, in slices of this many cgroups. A promise per stat and readdir
// made the walk 5x costlier (38-60 ms of CPU against 8 at 500 cgroups, by hand); each slice first lets the event
// loop run, so the sample that asked for the walk is written before it, and no slice holds the loop for long.
const walkSlice = 100;

export const walkCgroups = async (root: string): Promise<DiscoveredCgroup[]> => {
  const found: DiscoveredCgroup[] = [];
  const pending = ['/'];
  for (let walked = 0; pending.length > 0; walked++) {
    if (walked % walkSlice === 0) await yieldToLoop();
    const relative = pending.pop()!;
    const directory = path.join(root, relative);
    const id = inodeOf(directory);
    if (id === undefined) continue;
    found.push({ id, path: relative });
    for (const name of childDirectories(directory)) pending.push(path.posix.join(relative, name));
  }
  return found;
};

// A record of Netdata's shared list names its cgroup by its cgroup.procs path, relative to whichever cgroup mount
// (v2, or a v1 controller) Netdata read.
const procsFile = '/cgroup.procs';

/** The cgroup path ("/", "/system.slice/x.service") of a record, or undefined when it lies under no known mount. */
export const recordCgroupPath = (record: ShmCgroupRecord, mounts: CgroupMounts): string | undefined => {
  if (!record.procsPath.endsWith(procsFile)) return undefined;
  const directory = path.posix.normalize(record.procsPath.slice(0, -procsFile.length));
  const mount = [mounts.v2, ...mounts.v1]
    .filter((candidate): candidate is string => candidate !== undefined)
    .filter((candidate) => directory === candidate || directory.startsWith(`${candidate}/`))
    .sort((a, b) => b.length - a.length)[0];
  return mount === undefined ? undefined : directory.slice(mount.length) || '/';
};

// Names for the cgroups found under the v2 mount: Netdata's own, from its shared list, where the list has the
// cgroup; otherwise derived from the path (a cgroup newer than the list's last refresh, or no list at all).
export interface NamedCgroup extends DiscoveredCgroup, CgroupIdentity {}

const identitiesByPath = (list: ShmCgroupList, mounts: CgroupMounts): Map<string, CgroupIdentity> => {
  const byPath = new Map<string, CgroupIdentity>();
  for (const record of list.records) {
    const cgroupPath = recordCgroupPath(record, mounts);
    if (cgroupPath !== undefined) byPath.set(cgroupPath, identityFromShm(record, list.systemdEnabled));
  }
  return byPath;
};

/** fromPath: identityFromPath, or a caller's memo of it (CgroupDiscovery, below). */
export const nameCgroups = (
  discovered: readonly DiscoveredCgroup[],
  mounts: CgroupMounts,
  list?: ShmCgroupList,
  fromPath: (path: string) => CgroupIdentity = identityFromPath,
): NamedCgroup[] => {
  const fromNetdata = list ? identitiesByPath(list, mounts) : new Map<string, CgroupIdentity>();
  return discovered.map((cgroup) => ({ ...cgroup, ...(fromNetdata.get(cgroup.path) ?? fromPath(cgroup.path)) }));
};

// One scan per update: the cgroups under the v2 mount, named by Netdata's shared list when it can be read,
// else by their paths. Each problem (no cgroup v2; a list that cannot be used) is logged once, with its fix.
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
