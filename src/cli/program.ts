// SPDX-License-Identifier: GPL-3.0-or-later
// The command line: plugin mode by default (what Netdata runs), and the tools beside it.
import { Command, Option } from 'commander';
import { registerInstallCommands } from '../install/register.js';
import { packageVersion } from '../version.js';
import type { CheckFlags } from './check-command.js';
import type { DryRunFlags } from './dry-run-command.js';
import { flagsBeforeCommand, refuseUnknownCommand } from './root-arguments.js';
import { runPlugin } from './plugin-command.js';
import type { ScriptFlags } from './script-command.js';
import type { SelftestFlags } from './selftest-command.js';
import { commParser, flagParser, pidParser } from './settings.js';

// selftest chooses its own filter (its workload's pid), so it has no --pid or --comm to ignore; check shows both
// modes, so it has no --mode.
const commonOptions = (command: Command, { backend = true, filter = true, mode = true } = {}): Command => {
  if (mode)
    command.addOption(
      new Option('--mode <mode>', 'entry (calls and bytes asked for) or return (adds errors and transferred bytes)').argParser(
        flagParser('mode', '--mode'),
      ),
    );
  command
    .addOption(
      new Option('--probe-type <type>', 'attach family first tried: auto, trampoline, probe or tracepoint').argParser(
        flagParser('tracing', '--probe-type'),
      ),
    )
    .addOption(new Option('--config <file>', "read this config file instead of Netdata's ebpf_process.conf"))
    .addOption(
      new Option(
        '--apps',
        "also count per task name, charted per apps_groups.conf group (config `apps`; selftest compares the workload's name and group)",
      ),
    )
    .addOption(
      new Option(
        '--cgroups',
        'also count per cgroup: systemd services and containers (config `cgroups`; selftest runs its workload in a cgroup made for it)',
      ),
    );
  if (filter) {
    command
      .addOption(new Option('--pid <pid>', 'count only this process and its descendants').argParser(pidParser))
      .addOption(new Option('--comm <name>', 'count only tasks with this command name').argParser(commParser));
  }
  return command.addOption(
    new Option('--backend <backend>', 'auto, bpftrace or helper').argParser(flagParser('backend', '--backend')).hideHelp(!backend),
  );
};

// The other commands load their modules only when run: the plugin runs for days and keeps neither their code
// nor execa (which selftest and install use) in memory.
export const buildProgram = (): Command => {
  const program = new Command('ebpf-process')
    .description(
      'Netdata collector of file, VFS and process events counted with eBPF (bpftrace or a libbpf helper).\n' +
        "Without a command it runs as Netdata's ebpf_process.plugin and writes the plugins.d protocol to stdout.",
    )
    .version(packageVersion)
    .argument('[update_every]', 'seconds between updates (Netdata passes it)')
    .showHelpAfterError()
    .helpCommand(true)
    // Each command reads its own --mode etc.; without this the root command would take them. Those placed
    // before the command's name are handed on to it (flagsBeforeCommand).
    .enablePositionalOptions()
    .hook('preAction', flagsBeforeCommand)
    .action((updateEvery: string | undefined, flags) => {
      // Netdata passes a number; a word is a mistyped command, which must not start the collector.
      if (updateEvery !== undefined && !/^\d+$/.test(updateEvery)) refuseUnknownCommand(program);
      return runPlugin(updateEvery, flags).then((code) => {
        process.exitCode = code;
      });
    });
  commonOptions(program);

  commonOptions(
    program
      .command('script')
      .description('print the bpftrace script for this host, to read or run by hand (bpftrace script.bt)')
      .option('--facts <file>', 'plan for the host described in this file (from `check --json`)')
      .option('--json-output', 'print JSON map dumps as the plugin reads them, instead of a table')
      .option('--interval <seconds>', 'seconds between prints', '1'),
    { backend: false },
  ).action(async (flags: ScriptFlags) => (await import('./script-command.js')).runScript(flags));

  commonOptions(
    program
      .command('dry-run')
      .description('load nothing; print every chart, dimension and the attach points feeding it, with the fallbacks')
      .option('--facts <file>', 'plan for the host described in this file (from `check --json`)')
      .option('--json', 'print JSON'),
  ).action(async (flags: DryRunFlags) => (await import('./dry-run-command.js')).runDryRun(flags));

  commonOptions(
    program
      .command('selftest')
      .description("run a known workload under this host's plan and compare every counter with what it did; exit 1 on a mismatch")
      .option('--rounds <n>', 'how many times the workload repeats its operations', '3')
      .option(
        '--system-wide',
        "count without the process filter: each counter must reach the workload's number, plus at most the host's measured background",
      ),
    { filter: false },
  ).action(async (flags: SelftestFlags) => (await import('./selftest-command.js')).runSelftest(flags));

  commonOptions(
    program
      .command('check')
      .description('check what this host offers and needs; says what to fix. Exits 1 when nothing can run')
      .option('--json', 'print the kernel facts as JSON (attach them to a bug report, or pass to --facts)'),
    { filter: false, mode: false },
  ).action(async (flags: CheckFlags) => (await import('./check-command.js')).runCheck(flags));
  program
    .command('min-btf')
    .description(
      "write the minimal BTF of this kernel beside the package's helper, which then need not read the whole " +
        'kernel BTF (setup runs it; install does it for its copy)',
    )
    .action(async () => (await import('./min-btf-command.js')).runMinBtf());
  registerInstallCommands(program);
  return program;
};
