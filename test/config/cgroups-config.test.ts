// SPDX-License-Identifier: GPL-3.0-or-later
// The built plugin's help names the `--cgroups` flag. How the keys and the flag are read: cgroups-config.unit.test.ts.
import test from 'ava';
import { execa } from 'execa';
import { cli } from '../helpers/run-plugin.js';

test("the plugin's help lists --cgroups", async (t) => {
  t.regex((await execa('node', [cli, '--help'])).stdout, /--cgroups\s+also count per cgroup/);
});
