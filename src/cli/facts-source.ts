// SPDX-License-Identifier: GPL-3.0-or-later
// Facts from the live host, or from a file (`check --json` output of another host) to plan for it here.
import { readFile } from 'node:fs/promises';
import { kernelFactsSchema, type KernelFacts } from '../kernel/facts.js';
import { gatherFacts, type GatherOptions } from '../kernel/gather.js';
import { CliError } from './cli-error.js';

export const loadFacts = async (factsFile: string | undefined, live: GatherOptions): Promise<KernelFacts> => {
  if (!factsFile) return gatherFacts(live);
  const text = await readFile(factsFile, 'utf8').catch((error: Error) => {
    throw new CliError(`cannot read facts file ${factsFile}: ${error.message}`, 'ebpf.facts.unreadable');
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`facts file ${factsFile} is not JSON; create one with \`ebpf-process check --json > facts.json\``, 'ebpf.facts.invalid');
  }
  const parsed = kernelFactsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`facts file ${factsFile}: ${issue?.path.join('.') || 'top level'}: ${issue?.message}`, 'ebpf.facts.invalid');
  }
  return parsed.data;
};
