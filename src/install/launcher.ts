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

/** V8's memory-saving heap and compiler settings: the plugin's own JavaScript runs about a millisecond a
 *  second, and this keeps node's RSS under 60 MiB (72-75 -> 57-58 MiB here). One flag only: the kernel
 *  passes everything after the interpreter in a shebang as a single argument. */
export const pluginNodeFlag = '--optimize-for-size';

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
