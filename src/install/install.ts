// SPDX-License-Identifier: GPL-3.0-or-later
// `ebpf-process install`: put the plugin, its stock config and its capable helper where Netdata looks,
// and switch the plugin on. Running it twice changes nothing the second time.
import { access, chmod, chown, mkdir, readFile, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { acceptedValues, configFieldSchemas } from '../config/schema.js';
import { helperCapabilities, readCapabilities, setCapabilities } from './capabilities.js';
import { generateMinBtf } from './generate-min-btf.js';
import { groupId, pathExists, placeFile, readIfExists, type InstallStep } from './file-ops.js';
import { setOption } from './ini-lines.js';
import { InstallError } from './install-error.js';
import { renderLauncher } from './launcher.js';
import { installedFiles, pluginName, privateHelperName, resolveOptions, type InstallOptions } from './paths.js';
import { renderStockConfig } from './stock-config.js';
import { renderDropIn } from './systemd-drop-in.js';

const root = 0;

const requireSource = async (path: string, what: string, fix: string): Promise<void> => {
  await access(path, constants.R_OK).catch((cause: unknown) => {
    throw new InstallError('ebpf.install.missing-source', `Cannot install: ${what} ${path} is missing. Fix: ${fix}.`, { cause });
  });
};

const requireRoot = (): void => {
  if (process.geteuid?.() !== root) {
    throw new InstallError(
      'ebpf.install.not-root',
      'Installing into Netdata needs root: it writes root-owned files and sets file capabilities. Fix: run it with sudo.',
    );
  }
};

export const resolveGroup = async (name: string, groupFile: string): Promise<number> => {
  const gid = await groupId(name, groupFile);
  if (gid === undefined) {
    throw new InstallError(
      'ebpf.install.no-group',
      `The group "${name}" does not exist in ${groupFile}. Fix: install Netdata ` +
        `first (it creates the group), or pass the group Netdata runs as.`,
    );
  }
  return gid;
};

// Directories are only fixed up, never replaced: they may hold other people's files.
const ensureDirectory = async (path: string, uid: number, gid: number, mode: number, what: string): Promise<InstallStep> => {
  const before = await stat(path).catch(() => undefined);
  if (before && before.uid === uid && before.gid === gid && (before.mode & 0o7777) === mode) return { action: 'unchanged', path, what };
  await mkdir(path, { recursive: true });
  await chown(path, uid, gid);
  await chmod(path, mode);
  return { action: before ? 'updated' : 'created', path, what };
};

const hasAll = (held: readonly string[], wanted: readonly string[]): boolean => wanted.every((name) => held.includes(name));

export const install = async (options: InstallOptions = {}): Promise<InstallStep[]> => {
  requireRoot();
  const { paths, sources, groupFile } = resolveOptions(options);
  const files = installedFiles(paths);
  await requireSource(sources.cliScript, 'the built plugin', 'run `npm run build` in the package first');
  await requireSource(sources.stockConfig, 'the stock configuration', 'reinstall the ebpf-process package; conf/ is part of it');
  await requireSource(sources.stockAlerts, 'the stock alerts', 'reinstall the ebpf-process package; conf/ is part of it');
  await requireSource(sources.helper, 'the libbpf helper', 'build it first (see docs/privileges.md, "Building the helper")');
  await requireSource(sources.nodeBinary, 'the Node binary', 'run the install with the Node that should run the plugin');
  const gid = await resolveGroup(paths.netdataGroup, groupFile);
  const helperCopy = join(files.privateDir, privateHelperName);
  // The plugin would refuse a `helper path` its config schema rejects: fail here, before anything is written.
  if (!configFieldSchemas.helperPath.safeParse(helperCopy).success) {
    throw new InstallError(
      'ebpf.install.unsafe-path',
      `The helper would be installed as ${JSON.stringify(helperCopy)}, but \`helper path\` ` +
        `must be ${acceptedValues.helperPath}. Fix: a plugins directory of plain characters.`,
    );
  }
  const steps: InstallStep[] = [];

  steps.push(await ensureDirectory(files.privateDir, root, gid, 0o750, 'private directory for the capable helper'));
  steps.push(
    await placeFile(helperCopy, await readFile(sources.helper), { uid: root, gid, mode: 0o750 }, 'helper copy with file capabilities', {
      finish: (file) => setCapabilities(file, helperCapabilities),
      isCurrent: async (file) => hasAll(await readCapabilities(file), helperCapabilities),
    }),
  );
  // After the copy: it is for this copy's object, and the plugin finds it beside the copy.
  steps.push(await generateMinBtf(helperCopy, sources.bpfObject));
  steps.push(await placeFile(files.launcher, renderLauncher(sources), { uid: root, gid, mode: 0o750 }, 'plugin launcher Netdata runs'));
  const stockText = renderStockConfig(await readFile(sources.stockConfig, 'utf8'), helperCopy);
  steps.push(await placeFile(files.stockConfig, stockText, { uid: root, gid: root, mode: 0o644 }, 'stock configuration'));
  // Netdata's package creates health.d; only a bare stock directory (a private root) lacks it.
  await mkdir(dirname(files.stockAlerts), { recursive: true, mode: 0o755 });
  steps.push(
    await placeFile(files.stockAlerts, await readFile(sources.stockAlerts), { uid: root, gid: root, mode: 0o644 }, 'stock alerts'),
  );

  const netdataConf = await readIfExists(paths.netdataConf);
  const confOwner = netdataConf ? await stat(paths.netdataConf) : { uid: root, gid: root, mode: 0o644 };
  steps.push(
    await placeFile(
      paths.netdataConf,
      setOption(netdataConf?.toString('utf8') ?? '', 'plugins', pluginName, 'yes'),
      { uid: confOwner.uid, gid: confOwner.gid, mode: confOwner.mode & 0o7777 },
      `[plugins] ${pluginName} = yes`,
    ),
  );

  // Only where systemd keeps unit overrides; elsewhere there is no bounding set to widen.
  if (files.systemdDropIn && (await pathExists(dirname(dirname(files.systemdDropIn))))) {
    await mkdir(dirname(files.systemdDropIn), { recursive: true });
    steps.push(
      await placeFile(files.systemdDropIn, renderDropIn(), { uid: root, gid: root, mode: 0o644 }, 'netdata.service capability bound'),
    );
  }
  return steps;
};
