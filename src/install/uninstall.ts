// SPDX-License-Identifier: GPL-3.0-or-later
// `ebpf-process uninstall`: remove what install put in place and switch the plugin off. Files that are
// not ours (a launcher someone else wrote) are left alone and reported.
import { readdir, readFile, rmdir, stat } from 'node:fs/promises';
import { minBtfDir } from '../backend/helper/min-btf.js';
import { dirname, join } from 'node:path';
import { pathExists, placeFile, readIfExists, removeFile, type InstallStep } from './file-ops.js';
import { removeOption } from './ini-lines.js';
import { InstallError } from './install-error.js';
import { parseLauncher } from './launcher.js';
import { installedFiles, pluginName, privateHelperName, resolveOptions, type InstallOptions } from './paths.js';

const removeLauncher = async (path: string): Promise<InstallStep> => {
  const text = await readIfExists(path);
  if (text !== undefined && parseLauncher(text.toString('utf8')) === undefined) {
    throw new InstallError(
      'ebpf.install.unsafe-path',
      `${path} was not written by \`ebpf-process install\`; not removing it. Fix: remove it by hand if it is stale.`,
    );
  }
  return removeFile(path, 'plugin launcher');
};

// Install wrote at most one file there (generate-min-btf.ts removes the others).
const removeMinBtf = async (helper: string): Promise<InstallStep[]> => {
  const dir = minBtfDir(helper);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.btf'));
  const steps = await Promise.all(names.map((name) => removeFile(join(dir, name), 'minimal BTF for the helper')));
  await rmdir(dir).catch(() => undefined);
  return steps;
};

const removePrivateDirectory = async (path: string): Promise<InstallStep[]> => {
  const minBtf = await removeMinBtf(join(path, privateHelperName));
  const helper = await removeFile(join(path, privateHelperName), 'helper copy with file capabilities');
  if (!(await pathExists(path))) return [...minBtf, helper, { action: 'absent', path, what: 'private directory' }];
  // rmdir, not rm -r: anything else in there is someone else's.
  await rmdir(path);
  return [...minBtf, helper, { action: 'removed', path, what: 'private directory' }];
};

export const uninstall = async (options: InstallOptions = {}): Promise<InstallStep[]> => {
  const { paths } = resolveOptions(options);
  const files = installedFiles(paths);
  const steps: InstallStep[] = [
    await removeLauncher(files.launcher),
    ...(await removePrivateDirectory(files.privateDir)),
    await removeFile(files.stockConfig, 'stock configuration'),
    await removeFile(files.stockAlerts, 'stock alerts'),
  ];
  // Netdata's own stock alerts live there too: only an empty directory (one install made) goes.
  await rmdir(dirname(files.stockAlerts)).catch(() => undefined);
  if (await pathExists(paths.netdataConf)) {
    const before = await readFile(paths.netdataConf, 'utf8');
    const owner = await stat(paths.netdataConf);
    steps.push(
      await placeFile(
        paths.netdataConf,
        removeOption(before, 'plugins', pluginName),
        { uid: owner.uid, gid: owner.gid, mode: owner.mode & 0o7777 },
        `[plugins] ${pluginName} removed`,
      ),
    );
  }
  if (files.systemdDropIn) {
    steps.push(await removeFile(files.systemdDropIn, 'netdata.service capability bound'));
    // The drop-in directory may hold the admin's own overrides: only an empty one goes.
    await rmdir(dirname(files.systemdDropIn)).catch(() => undefined);
  }
  return steps;
};
