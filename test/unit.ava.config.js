// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run test:unit`: the *.unit.test.ts files only (test/README.md). Pure logic, so they may run side by side.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const { ava } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

export default { ...ava, files: ['test/**/*.unit.test.ts'], concurrency: availableParallelism() };
