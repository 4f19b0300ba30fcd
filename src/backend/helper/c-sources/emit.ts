// SPDX-License-Identifier: GPL-3.0-or-later
// `node dist/emit-c-sources.js NAME`: prints the C source generated from the TypeScript definitions, for
// bpf-fallback/Makefile. One entry per generated file.
import { limitsHeader } from './limits-header.js';

const sources: Readonly<Record<string, () => string>> = {
  limits: limitsHeader,
};

const name = process.argv[2] ?? '';
if (Object.hasOwn(sources, name)) {
  process.stdout.write(sources[name]!());
} else {
  process.stderr.write(`emit-c-sources: unknown source ${JSON.stringify(name)}; expected one of: ${Object.keys(sources).join(', ')}\n`);
  process.exitCode = 2;
}
