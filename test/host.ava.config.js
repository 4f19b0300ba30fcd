// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run test:host`: every test file but the unit tier's (test/README.md), one at a time as package.json says.
import { readFileSync } from 'node:fs';

const { ava } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

export default { ...ava, files: [...ava.files, '!test/**/*.unit.test.ts'] };
