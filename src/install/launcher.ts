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

/** The Node flags the plugin runs with (docs/performance.md, 2026-12-08). A young generation of 2 MiB semi-spaces keeps
 *  node's peak RSS where --optimize-for-size held it, without that flag's memory-reducing full collections (2.4x the
 *  CPU at 5,000 cgroups). One garbage collection thread: the helper threads joining each small collection of a
 *  plugin that wakes once a second cost more than they save (node at 500 busy cgroups about a third cheaper, side by
 *  side). V8 aborts when that flag is set at run time (v8.setFlagsFromString), so both are on the command line. */
export const pluginNodeFlags = ['--max-semi-space-size=2', '--single-threaded-gc'] as const;

// The kernel passes everything after a shebang's interpreter as one argument and reads at most 255 bytes of the line:
// env -S splits the flags, and reads `$`, `\`, `#` and quotes as its own syntax.
const splitter = ['/usr/bin/env', '-S'] as const;
const shebangOf = (nodeBinary: string): string => `#!${splitter.join(' ')} ${nodeBinary} ${pluginNodeFlags.join(' ')}`;
const maxShebangBytes = 255;

const longestNodeBinary = maxShebangBytes - shebangOf('').length;

const assertShebangSafe = (nodeBinary: string): void => {
  if (!isAbsolute(nodeBinary) || !/^[\w./+@-]+$/.test(nodeBinary) || Buffer.byteLength(nodeBinary) > longestNodeBinary) {
    throw new InstallError(
      'ebpf.install.unsafe-path',
      `Expected the Node binary to be an absolute path of letters, digits and ./_+@- of at most ${longestNodeBinary} bytes, ` +
        `got ${JSON.stringify(nodeBinary)}. Fix: run the install with a Node installed under a plain path, e.g. /usr/bin/node.`,
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
    shebangOf(nodeBinary),
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
  // Launchers written before the flags were run through env name Node first, with one flag or none.
  const words = shebang.slice(2).split(' ');
  const nodeBinary = words[0] === splitter[0] && words[1] === splitter[1] ? words[2] : words[0];
  return nodeBinary ? { nodeBinary, cliScript: fileURLToPath(JSON.parse(url) as string) } : undefined;
};
