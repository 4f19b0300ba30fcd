// SPDX-License-Identifier: GPL-3.0-or-later
// What the root command does with arguments meant for a command: a mistyped command name is refused with the
// closest one suggested, and flags written before a command's name are handed to that command.
import type { Command } from 'commander';

/** Commander's own refusal, `unknown command 'dryrun'` with `(Did you mean dry-run?)`: exits 1. Its typings
 *  leave the method out, though commander calls it for programs without a root argument. */
export const refuseUnknownCommand = (program: Command): never => {
  (program as unknown as { unknownCommand(): never }).unknownCommand();
  throw new Error('commander did not refuse the unknown command');
};

const longFlag = (command: Command, key: string): string | undefined =>
  command.options.find((option) => option.attributeName() === key)?.long;

/** A preAction hook of the root: `--cgroups check` means `check --cgroups`; a flag the command does not take is an
 *  error naming those that do, as it is when written after the command's name. */
export const flagsBeforeCommand = (root: Command, command: Command): void => {
  if (command === root) return;
  for (const [key, value] of Object.entries(root.opts())) {
    if (root.getOptionValueSource(key) !== 'cli') continue;
    const flag = longFlag(root, key)!;
    if (longFlag(command, key) === undefined) {
      const takers = ['plugin mode', ...root.commands.filter((each) => longFlag(each, key) !== undefined).map((each) => each.name())];
      command.error(`error: \`${command.name()}\` does not take ${flag} (it is taken by ${takers.join(', ')})`);
    }
    // Written after the name too: that one wins, as the later of two flags does.
    if (command.getOptionValueSource(key) !== 'cli') command.setOptionValueWithSource(key, value, 'cli');
  }
};
