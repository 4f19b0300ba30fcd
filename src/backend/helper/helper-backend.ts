// SPDX-License-Identifier: GPL-3.0-or-later
// The compiled helper as a backend: which one (`helper path`, else the package's), and its command for a plan.
import { helperCommand, locateConfiguredHelper, locateHelper } from './helper-command.js';
import { findMinBtf } from './min-btf.js';
import { failure, success, valueOf, type Outcome } from '../../outcome.js';
import type { CommandFactory } from '../backend-command.js';
import { HelperNotRunnable } from './locate-helper.js';

/** The helper every command uses: `configured` (the config's `helper path`) when set, else the package's build. */
export const findHelper = async (configured: string | undefined): Promise<Outcome<string>> => {
  try {
    const file = configured ? await locateConfiguredHelper(configured) : await locateHelper();
    return file ? success(file) : failure('the helper is not built for this arch (make -C bpf-fallback)');
  } catch (error) {
    if (error instanceof HelperNotRunnable) return failure(error.message);
    throw error;
  }
};

export const helperFactory =
  (updateEvery: number, configured: string | undefined, selfStats = false): CommandFactory =>
  async (plan) => {
    const found = await findHelper(configured);
    if (!found.ok) return found;
    // Without one (not generated, another kernel, refused by the trust check) the helper reads the kernel's BTF.
    const btf = valueOf(await findMinBtf(found.value));
    const command = helperCommand(plan, { intervalMs: updateEvery * 1000, file: found.value, selfStats, ...(btf ? { btf } : {}) });
    return success({ backend: 'helper', file: command.file, args: command.args, env: {} });
  };
