// SPDX-License-Identifier: GPL-3.0-or-later
// `node dist/emit-c-sources.js <part>`: prints a C source the helper's build generates from the TypeScript
// definitions (bpf-fallback/Makefile), so the C side states none of them again.
import { countersHeader } from './counters-header.js';
import { programsSource } from './programs-source.js';

const parts: Readonly<Record<string, () => string>> = { counters: countersHeader, programs: programsSource };

const part = parts[process.argv[2] ?? ''];
if (!part) {
  process.stderr.write(`usage: emit-c-sources.js ${Object.keys(parts).join('|')}\n`);
  process.exit(2);
}
process.stdout.write(part());
