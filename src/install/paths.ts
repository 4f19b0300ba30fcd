// SPDX-License-Identifier: GPL-3.0-or-later
// Where an install puts things. Every path is injectable so tests install into a private root.
import { join } from 'node:path';
import { helperObjectPath, helperPath } from '../backend/helper/locate-helper.js';
import { packageFile } from '../package-root.js';

export interface InstallPaths {
  /** Netdata's plugins directory; Netdata runs every enabled `*.plugin` file in it. */
  readonly pluginsDir: string;
  /** Netdata's stock config directory; the plugin reads its defaults from here. */
  readonly stockConfigDir: string;
  /** netdata.conf, where `[plugins] ebpf_process = yes` switches the plugin on. */
  readonly netdataConf: string;
  /** Drop-in directory of netdata.service, or null to leave systemd alone. */
  readonly systemdDropInDir: string | null;
  /** The group Netdata runs its plugins with. */
  readonly netdataGroup: string;
}

// Debian and Ubuntu's `netdata` package layout.
export const debianPaths: InstallPaths = {
  pluginsDir: '/usr/lib/netdata/plugins.d',
  stockConfigDir: '/usr/lib/netdata/conf.d',
  netdataConf: '/etc/netdata/netdata.conf',
  systemdDropInDir: '/etc/systemd/system/netdata.service.d',
  netdataGroup: 'netdata',
};

export const pluginName = 'ebpf_process';

/** The files one install owns, derived from the paths. */
export const installedFiles = (paths: InstallPaths) => ({
  launcher: join(paths.pluginsDir, `${pluginName}.plugin`),
  stockConfig: join(paths.stockConfigDir, `${pluginName}.conf`),
  // Netdata reads stock alerts from health.d under its stock config directory; users override them by name.
  stockAlerts: join(paths.stockConfigDir, 'health.d', `${pluginName}.conf`),
  // Root-owned and closed to everyone but Netdata's group: only Netdata may run the capable binary.
  privateDir: join(paths.pluginsDir, 'ebpf-process'),
  systemdDropIn: paths.systemdDropInDir === null ? null : join(paths.systemdDropInDir, 'ebpf-process.conf'),
});

export interface InstallSources {
  /** The Node that will run the plugin. */
  readonly nodeBinary: string;
  /** The package's built CLI, which is also the plugin. */
  readonly cliScript: string;
  /** The package's stock ebpf_process.conf. */
  readonly stockConfig: string;
  /** The package's stock alerts, health.d/ebpf_process.conf. */
  readonly stockAlerts: string;
  /** The built libbpf helper, copied privately and given capabilities. */
  readonly helper: string;
  /** The BPF object the helper embeds, placed beside it by make: the input of its minimal BTF. */
  readonly bpfObject: string;
}

export interface InstallOptions {
  readonly paths?: Partial<InstallPaths>;
  readonly sources?: Partial<InstallSources>;
  /** Where group names resolve; default /etc/group. */
  readonly groupFile?: string;
}

export interface ResolvedOptions {
  readonly paths: InstallPaths;
  readonly sources: InstallSources;
  readonly groupFile: string;
}

/** Fills in Debian's layout and this package's own files for whatever the caller left out. */
export const resolveOptions = (options: InstallOptions = {}): ResolvedOptions => {
  const helper = options.sources?.helper ?? helperPath();
  return {
    paths: { ...debianPaths, ...options.paths },
    sources: {
      nodeBinary: process.execPath,
      cliScript: packageFile('dist', 'cli.js'),
      stockConfig: packageFile('conf', `${pluginName}.conf`),
      stockAlerts: packageFile('conf', 'health.d', `${pluginName}.conf`),
      helper,
      bpfObject: helperObjectPath(helper),
      ...options.sources,
    },
    groupFile: options.groupFile ?? '/etc/group',
  };
};

/** Name of the helper's private, capable copy inside the private directory. */
export const privateHelperName = 'ebpf-process-helper';
