// SPDX-License-Identifier: GPL-3.0-or-later
// Whether the install into Netdata is complete: one item per piece, each with what is wrong and the fix.
// Returns data only; the `check` command prints it.
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { helperCapabilities, readCapabilities } from './capabilities.js';
import { groupId, pathExists, readIfExists } from './file-ops.js';
import { readOption } from './ini-lines.js';
import { parseLauncher } from './launcher.js';
import { installedFiles, pluginName, privateHelperName, resolveOptions, type InstallOptions } from './paths.js';
import { configuredHelper } from './stock-config.js';

export interface CheckItem {
  /** Stable identifier, e.g. "install.helper-capabilities". */
  readonly id: string;
  readonly ok: boolean;
  /** One line saying what was checked and what was found. */
  readonly summary: string;
  /** How to fix it; present when ok is false. */
  readonly fix?: string;
}

const reinstall = 'run `sudo ebpf-process install`';
const item = (id: string, ok: boolean, summary: string, fix = reinstall): CheckItem =>
  ok ? { id: `install.${id}`, ok, summary } : { id: `install.${id}`, ok, summary, fix };

const readable = async (path: string): Promise<boolean> =>
  access(path, constants.R_OK).then(
    () => true,
    () => false,
  );

const checkLauncher = async (path: string): Promise<CheckItem> => {
  const text = await readIfExists(path);
  if (text === undefined) return item('launcher', false, `${path} is missing: Netdata has no ebpf_process plugin to run`);
  const launcher = parseLauncher(text.toString('utf8'));
  if (!launcher) return item('launcher', false, `${path} was not written by ebpf-process install`, `remove it, then ${reinstall}`);
  const absent = (
    await Promise.all([launcher.nodeBinary, launcher.cliScript].map(async (file) => ((await readable(file)) ? undefined : file)))
  ).filter(Boolean);
  return absent.length > 0
    ? item(
        'launcher',
        false,
        `${path} points at ${absent.join(' and ')}, which no longer exist(s)`,
        `${reinstall} from the package you want Netdata to run`,
      )
    : item('launcher', true, `${path} runs ${launcher.cliScript} with ${launcher.nodeBinary}`);
};

const checkHelper = async (
  privateDir: string,
  gid: number | undefined,
  packagedHelper: string,
  stockConfig: string,
): Promise<CheckItem[]> => {
  const helper = join(privateDir, privateHelperName);
  const dirInfo = await stat(privateDir).catch(() => undefined);
  const dirOk = dirInfo !== undefined && dirInfo.uid === 0 && dirInfo.gid === gid && (dirInfo.mode & 0o7777) === 0o750;
  const items = [
    item(
      'private-directory',
      dirOk,
      dirOk
        ? `${privateDir} is root-owned, group netdata, mode 0750`
        : `${privateDir} must exist as root:<netdata group> mode 0750 so only Netdata can run the capable helper`,
    ),
  ];
  const copy = await readIfExists(helper);
  if (copy === undefined)
    return [...items, item('helper', false, `${helper} is missing: as the netdata user the plugin has no way to load BPF`)];
  const held = await readCapabilities(helper);
  const lacking = helperCapabilities.filter((name) => !held.includes(name));
  items.push(
    item(
      'helper-capabilities',
      lacking.length === 0,
      lacking.length === 0
        ? `${helper} holds ${helperCapabilities.join(',')}`
        : `${helper} lacks ${lacking.join(',')} (a copy or chown drops file capabilities)`,
    ),
  );
  const packaged = await readIfExists(packagedHelper);
  if (packaged !== undefined) {
    items.push(
      item(
        'helper-current',
        packaged.equals(copy),
        packaged.equals(copy)
          ? `${helper} is the same build as ${packagedHelper}`
          : `${helper} differs from ${packagedHelper}: the package was updated after the install`,
      ),
    );
  }
  const pointed = (await readIfExists(stockConfig))?.toString('utf8');
  const pointsHere = pointed !== undefined && configuredHelper(pointed) === helper;
  items.push(
    item(
      'stock-config',
      pointsHere,
      pointsHere ? `${stockConfig} selects the helper at ${helper}` : `${stockConfig} is missing or does not point the plugin at ${helper}`,
    ),
  );
  return items;
};

const checkAlerts = async (installed: string, packaged: string): Promise<CheckItem> => {
  const [copy, source] = await Promise.all([readIfExists(installed), readIfExists(packaged)]);
  if (copy === undefined) return item('stock-alerts', false, `${installed} is missing: Netdata has none of the plugin's stock alerts`);
  const current = source === undefined || source.equals(copy);
  return item(
    'stock-alerts',
    current,
    current
      ? `${installed} holds the plugin's stock alerts`
      : `${installed} differs from ${packaged}: the package was updated after the ` +
          `install (your changes belong in health.d/ under Netdata's config directory)`,
  );
};

const checkEnabled = async (netdataConf: string): Promise<CheckItem> => {
  const text = (await readIfExists(netdataConf))?.toString('utf8');
  const value = text === undefined ? undefined : readOption(text, 'plugins', pluginName);
  return item(
    'enabled',
    value === 'yes',
    value === 'yes'
      ? `${netdataConf} enables [plugins] ${pluginName}`
      : `${netdataConf} does not set [plugins] ${pluginName} = yes (Netdata's default is no)`,
  );
};

const checkDropIn = async (dropIn: string | null): Promise<CheckItem[]> => {
  if (dropIn === null || !(await pathExists(dirname(dirname(dropIn))))) return [];
  const present = await readable(dropIn);
  return [
    item(
      'systemd-bound',
      present,
      present
        ? `${dropIn} widens netdata.service's capability bound (needs systemctl daemon-reload and a Netdata restart once)`
        : `${dropIn} is missing: netdata.service's CapabilityBoundingSet strips the helper's capabilities`,
    ),
  ];
};

export const checkInstall = async (options: InstallOptions = {}): Promise<CheckItem[]> => {
  const { paths, sources, groupFile } = resolveOptions(options);
  const files = installedFiles(paths);
  const gid = await groupId(paths.netdataGroup, groupFile);
  return [
    item(
      'group',
      gid !== undefined,
      gid === undefined ? `group ${paths.netdataGroup} does not exist` : `group ${paths.netdataGroup} is gid ${gid}`,
      'install Netdata first, or pass the group it runs as',
    ),
    await checkLauncher(files.launcher),
    ...(await checkHelper(files.privateDir, gid, sources.helper, files.stockConfig)),
    await checkAlerts(files.stockAlerts, sources.stockAlerts),
    await checkEnabled(paths.netdataConf),
    ...(await checkDropIn(files.systemdDropIn)),
  ];
};
