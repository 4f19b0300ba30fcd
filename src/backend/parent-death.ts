// SPDX-License-Identifier: GPL-3.0-or-later
// A backend must die with the plugin, even when the plugin is SIGKILLed and cannot clean up. util-linux's
// setpriv sets PR_SET_PDEATHSIG and then execs the backend in place (same pid, no extra process).
import { accessSync, constants } from 'node:fs';

const setprivCandidates = ['/usr/bin/setpriv', '/bin/setpriv'];

const findSetpriv = (): string | undefined =>
  setprivCandidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const setpriv = findSetpriv();

export const withParentDeathSignal = (file: string, args: readonly string[]): [string, string[]] =>
  setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', file, ...args]] : [file, [...args]];

export const parentDeathSignalAvailable = (): boolean => setpriv !== undefined;
