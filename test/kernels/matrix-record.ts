// SPDX-License-Identifier: GPL-3.0-or-later
// Where the last kernel-matrix run is kept in the repo, and the fixture each suite's real facts become.
import path from 'node:path';
import { repoRoot } from '../helpers/run-plugin.js';

export const matrixRecord = path.join(repoRoot, 'docs/kernel-matrix.json');

/** Beside the fact sets assumed from documentation (debian-11-5.10.json, ...), the same kernel as measured. */
export const realFixtureNames: Readonly<Record<string, string>> = {
  bullseye: 'debian-11-5.10-real',
  bookworm: 'debian-12-6.1-real',
  trixie: 'debian-13-6.12-real',
  sid: 'debian-sid-real',
};
