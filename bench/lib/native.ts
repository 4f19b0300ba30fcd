// SPDX-License-Identifier: GPL-3.0-or-later
// The bench's native parts (micro workloads, floor counter) and the plugin under test, by path.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const microPath = `${benchDir}.output/micro`;
export const floorPath = `${benchDir}.output/floor`;
export const pluginCli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The Node flags the installed launcher runs the plugin with. */
export { pluginNodeFlags } from '../../src/install/launcher.js';

/** make -C bench: cheap when up to date, and the bench never runs a stale workload. */
export const buildNative = async (): Promise<void> => {
  await execa('make', ['-C', benchDir], { stdio: 'inherit' });
};
