// SPDX-License-Identifier: GPL-3.0-or-later
// The file Netdata runs. Netdata starts plugins as its own user with its own PATH, so `#!/usr/bin/env node`
// may find no Node (nvm, /usr/local) or another one: the launcher pins the Node that ran the install.
// It is a tiny CommonJS script rather than a symlink or shell wrapper so that process.argv[1] still
// names `ebpf_process.plugin`, which is how the CLI knows it runs as a Netdata plugin.
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InstallError } from './install-error.js';

export interface LauncherSources {
  /** Absolute path of the Node binary, e.g. process.execPath. */
  readonly nodeBinary: string;
  /** Absolute path of the package's dist/cli.js. */
  readonly cliScript: string;
}

export const launcherMarker = 'Installed by `ebpf-process install`';

/** A young generation of 2 MiB semi-spaces: node's peak RSS stays where --optimize-for-size held it (56-60 MiB for
 *  the plain plugin here, 58-61 without a flag), without that flag's memory-reducing full collections, which made
 *  node 2.4x costlier at 5,000 cgroups (docs/performance.md, 2026-12-08). One flag only: the kernel passes
 *  everything after the interpreter in a shebang as a single argument. */
export const pluginNodeFlag = '--max-semi-space-size=2';

// The kernel splits a shebang line at the first blank and reads at most 255 bytes of it.
const assertShebangSafe = (nodeBinary: string): void => {
  if (!isAbsolute(nodeBinary) || /\s/.test(nodeBinary) || Buffer.byteLength(nodeBinary) > 225) {
    throw new InstallError(
      'ebpf.install.unsafe-path',
      `Expected the Node binary to be an absolute path without blanks of at most 225 bytes, got ${JSON.stringify(nodeBinary)}.` +
        ' Fix: run the install with a Node installed under a plain path, e.g. /usr/bin/node.',
    );
  }
};

export const renderLauncher = ({ nodeBinary, cliScript }: LauncherSources): string => {
  assertShebangSafe(nodeBinary);
  if (!isAbsolute(cliScript)) {
    throw new InstallError('ebpf.install.unsafe-path', `Expected an absolute path to cli.js, got ${JSON.stringify(cliScript)}.`);
  }
  // JSON.stringify quotes any character the path may hold, so the path cannot break out of the string.
  return [
    `#!${nodeBinary} ${pluginNodeFlag}`,
    `// ${launcherMarker}: loads the plugin from its package. Remove with \`ebpf-process uninstall\`.`,
    `import(${JSON.stringify(pathToFileURL(cliScript).href)});`,
    '',
  ].join('\n');
};

/** The cli.js a launcher loads, or undefined when the file is not one of ours. */
export const parseLauncher = (text: string): LauncherSources | undefined => {
  const [shebang, marker, load] = text.split('\n');
  const url = load && /^import\(("[^\n]*")\);$/.exec(load)?.[1];
  if (!shebang?.startsWith('#!') || !marker?.includes(launcherMarker) || !url) return undefined;
  // Launchers written before the flag have the Node path alone.
  return { nodeBinary: shebang.slice(2).split(' ')[0]!, cliScript: fileURLToPath(JSON.parse(url) as string) };
};
