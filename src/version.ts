// SPDX-License-Identifier: GPL-3.0-or-later
// The package's own name and version, read once from package.json.
import { readFileSync } from 'node:fs';
import { packageFile } from './package-root.js';

const packageJson = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };

export const packageVersion = packageJson.version;
export const generatorName = `ebpf-process ${packageVersion}`;
