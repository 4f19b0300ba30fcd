// SPDX-License-Identifier: GPL-3.0-or-later
// The compiled helper as a backend: which one (`helper path`, else the package's), and its command for a plan.
import { helperCommand, locateConfiguredHelper, locateHelper } from '../backend/helper/helper-command.js';
import { findMinBtf } from '../backend/helper/min-btf.js';
import type { CommandFactory } from '../plugin/collector.js';

export type HelperLookup = { readonly file: string } | { readonly file: null; readonly reason: string };

/** The helper every command uses: `configured` (the config's `helper path`) when set, else the package's build. */
export const findHelper = async (configured: string | undefined): Promise<HelperLookup> => {
  try {
    const file = configured ? await locateConfiguredHelper(configured) : await locateHelper();
    return file ? { file } : { file: null, reason: 'the helper is not built for this arch (make -C bpf-fallback)' };
  } catch (error) {
    return { file: null, reason: error instanceof Error ? error.message : String(error) };
  }
};

export const helperFactory = (updateEvery: number, configured: string | undefined, selfStats = false): CommandFactory => async (plan) => {
  const found = await findHelper(configured);
  if (found.file === null) return found.reason;
  // Without one (not generated, another kernel, refused by the trust check) the helper reads the kernel's BTF.
  const minBtf = await findMinBtf(found.file);
  const command = helperCommand(plan, { intervalMs: updateEvery * 1000, file: found.file, selfStats, ...(minBtf.file ? { btf: minBtf.file } : {}) });
  return { backend: 'helper', file: command.file, args: command.args, env: {} };
};
