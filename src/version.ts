// SPDX-License-Identifier: GPL-3.0-or-later
// The package's own name and version, read once from package.json.
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const packageVersion = packageJson.version;
export const generatorName = `ebpf-process ${packageVersion}`;
