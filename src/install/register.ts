// SPDX-License-Identifier: GPL-3.0-or-later
// The `install` and `uninstall` subcommands. Errors are thrown for the CLI's one error printer.
import type { Command } from 'commander';
import type { InstallStep } from './file-ops.js';
import { debianPaths, type InstallOptions } from './paths.js';

interface PathFlags {
  pluginsDir: string;
  stockConfigDir: string;
  netdataConf: string;
  systemd: boolean;
  group: string;
}

const toOptions = (flags: PathFlags): InstallOptions => ({
  paths: {
    pluginsDir: flags.pluginsDir,
    stockConfigDir: flags.stockConfigDir,
    netdataConf: flags.netdataConf,
    systemdDropInDir: flags.systemd ? debianPaths.systemdDropInDir : null,
    netdataGroup: flags.group,
  },
});

const withPathFlags = (command: Command): Command =>
  command
    .option('--plugins-dir <dir>', "Netdata's plugins directory", debianPaths.pluginsDir)
    .option('--stock-config-dir <dir>', "Netdata's stock config directory", debianPaths.stockConfigDir)
    .option('--netdata-conf <file>', 'netdata.conf to enable the plugin in', debianPaths.netdataConf)
    .option('--no-systemd', 'do not write the netdata.service drop-in')
    .option('--group <name>', 'group Netdata runs its plugins as', debianPaths.netdataGroup);

const printSteps = (steps: readonly InstallStep[]): void => {
  for (const step of steps) process.stdout.write(`${step.action.padEnd(9)} ${step.path}  (${step.what})\n`);
};

export const registerInstallCommands = (program: Command): void => {
  withPathFlags(
    program
      .command('install')
      .description('install the plugin into Netdata, with a capable private helper for the netdata user (idempotent)'),
  ).action(async (flags: PathFlags) => {
    // Loaded when run, not by the plugin (see buildProgram).
    const steps = await (await import('./install.js')).install(toOptions(flags));
    printSteps(steps);
    if (steps.some((step) => step.action === 'created' || step.action === 'updated')) {
      process.stdout.write('Next: systemctl daemon-reload && systemctl restart netdata (see docs/netdata.md)\n');
    }
  });
  withPathFlags(program.command('uninstall').description('remove the plugin from Netdata and switch it off (idempotent)')).action(
    async (flags: PathFlags) => {
      printSteps(await (await import('./uninstall.js')).uninstall(toOptions(flags)));
    },
  );
};
