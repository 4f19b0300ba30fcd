// SPDX-License-Identifier: GPL-3.0-or-later
// The compiled helper as a backend: where it is, and its command for a plan.
import { helperCommand, locateHelper } from '../backend/helper/helper-command.js';
import type { CommandFactory } from '../plugin/collector.js';

export const findHelper = (): Promise<string | null> => locateHelper();

export const helperFactory = (updateEvery: number): CommandFactory => async (plan) => {
  const path = await locateHelper();
  if (!path) return 'the helper is not built for this arch (make -C bpf-fallback)';
  const command = helperCommand(plan, { intervalMs: updateEvery * 1000, file: path });
  return { backend: 'helper', file: command.file, args: command.args, env: {} };
};
