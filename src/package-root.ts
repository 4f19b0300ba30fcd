// SPDX-License-Identifier: GPL-3.0-or-later
// Files shipped with the package (package.json, the helper, the selftest workload), found from this module.
// It sits one level below the package root both as src/package-root.ts (tests run the sources) and in the
// build, where esbuild bundles every module into files directly in dist/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** A path inside the package, e.g. packageFile('bpf-fallback', 'bin'). */
export const packageFile = (...parts: string[]): string => path.join(packageRoot, ...parts);
