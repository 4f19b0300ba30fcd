// SPDX-License-Identifier: GPL-3.0-or-later
// Put one file in place whole or not at all: written in a private temporary directory next to it,
// owned and moded there, then renamed over the target.
import { chmod, chown, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// skipped: an optional piece could not be made; `what` says why and what runs without it.
export type StepAction = 'created' | 'updated' | 'unchanged' | 'removed' | 'absent' | 'skipped';

/** One thing install or uninstall did, for the CLI to print. */
export interface InstallStep {
  readonly action: StepAction;
  readonly path: string;
  readonly what: string;
}

export interface Ownership {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

export const readIfExists = async (path: string): Promise<Buffer | undefined> =>
  readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });

export const pathExists = async (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

const sameOwnership = async (path: string, owner: Ownership): Promise<boolean> => {
  const info = await stat(path);
  return info.uid === owner.uid && info.gid === owner.gid && (info.mode & 0o7777) === owner.mode;
};

/**
 * Writes `content` to `path` with `owner`; `finish` runs on the new file before it replaces the old one
 * (setcap goes there: chown clears file capabilities, so they must come last). `isCurrent` lets a caller
 * say the existing file is already complete beyond its bytes and ownership.
 */
export const placeFile = async (
  path: string,
  content: string | Buffer,
  owner: Ownership,
  what: string,
  options: { finish?: (file: string) => Promise<void>; isCurrent?: (file: string) => Promise<boolean> } = {},
): Promise<InstallStep> => {
  const existing = await readIfExists(path);
  if (existing?.equals(Buffer.from(content)) && (await sameOwnership(path, owner)) && (await (options.isCurrent?.(path) ?? true))) {
    return { action: 'unchanged', path, what };
  }
  const workDir = await mkdtemp(join(dirname(path), `.${basename(path)}.`));
  try {
    const staged = join(workDir, basename(path));
    await writeFile(staged, content, { mode: 0o600 });
    await chown(staged, owner.uid, owner.gid);
    await chmod(staged, owner.mode);
    await options.finish?.(staged);
    await rename(staged, path);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return { action: existing === undefined ? 'created' : 'updated', path, what };
};

export const removeFile = async (path: string, what: string): Promise<InstallStep> => {
  const existing = await readIfExists(path);
  if (existing === undefined) return { action: 'absent', path, what };
  await rm(path, { force: true });
  return { action: 'removed', path, what };
};

/** Reads the group id of `name` from the group file (Node has no getgrnam). */
export const groupId = async (name: string, groupFile = '/etc/group'): Promise<number | undefined> => {
  const text = (await readIfExists(groupFile))?.toString('utf8') ?? '';
  const line = text.split('\n').find((entry) => entry.split(':')[0] === name);
  const gid = line?.split(':')[2];
  return gid === undefined || gid === '' ? undefined : Number(gid);
};
