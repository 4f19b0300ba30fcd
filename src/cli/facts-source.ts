// SPDX-License-Identifier: GPL-3.0-or-later
// Facts from a file (`check --json` output of another host), to plan for that host here.
import { readFile } from 'node:fs/promises';
import { kernelFactsSchema, type KernelFacts } from '../kernel/facts.js';
import { CliError } from './cli-error.js';

export const loadFactsFile = async (factsFile: string): Promise<KernelFacts> => {
  const text = await readFile(factsFile, 'utf8').catch((error: Error) => {
    throw new CliError(`cannot read facts file ${factsFile}: ${error.message}`, 'ebpf.facts.unreadable');
  });
  const json: unknown = await Promise.resolve(text)
    .then(JSON.parse)
    .catch(() => {
      throw new CliError(
        `facts file ${factsFile} is not JSON; create one with \`ebpf-process check --json > facts.json\``,
        'ebpf.facts.invalid',
      );
    });
  const parsed = kernelFactsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`facts file ${factsFile}: ${issue?.path.join('.') || 'top level'}: ${issue?.message}`, 'ebpf.facts.invalid');
  }
  return parsed.data;
};
