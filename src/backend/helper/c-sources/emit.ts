// SPDX-License-Identifier: GPL-3.0-or-later
// `node dist/emit-c-sources.js NAME`: prints the C source generated from the TypeScript definitions, for
// bpf-fallback/Makefile, so the C side states none of them again. One entry per generated file.
import { countersHeader } from './counters-header.js';
import { limitsHeader } from './limits-header.js';
import { programsSource } from './programs-source.js';

const sources: Readonly<Record<string, () => string>> = {
  limits: limitsHeader,
  counters: countersHeader,
  programs: programsSource,
};

const name = process.argv[2] ?? '';
if (Object.hasOwn(sources, name)) {
  process.stdout.write(sources[name]!());
} else {
  process.stderr.write(`emit-c-sources: unknown source ${JSON.stringify(name)}; expected one of: ${Object.keys(sources).join(', ')}\n`);
  process.exitCode = 2;
}
