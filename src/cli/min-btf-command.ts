// SPDX-License-Identifier: GPL-3.0-or-later
// `min-btf`: the minimal BTF of this kernel for the package's own helper (the repo's setup runs it after the
// build; install writes one for its copy). Without it the helper still runs, reading the kernel's whole BTF.
import { helperObjectPath, locateHelper } from '../backend/helper/locate-helper.js';
import { generateMinBtf } from '../install/generate-min-btf.js';

export const runMinBtf = async (): Promise<void> => {
  const helper = await locateHelper();
  if (!helper) {
    console.error('min-btf: the helper is not built for this machine; build it first (make -C bpf-fallback)');
    process.exitCode = 1;
    return;
  }
  const step = await generateMinBtf(helper, helperObjectPath(helper));
  const line = `${step.action.padEnd(9)} ${step.path}  (${step.what})`;
  if (step.action === 'skipped') console.error(`min-btf: note: ${line}`);
  else console.log(line);
};
