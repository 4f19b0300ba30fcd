// SPDX-License-Identifier: GPL-3.0-or-later
// A backend that cannot load its programs says why: the helper with a typed event's errno, bpftrace in its own
// words on stderr. The user needs the fix. Only consulted for runs that failed: the RLIMIT_MEMLOCK warning alone
// appears on every healthy bpftrace run too.
import type { BackendExit } from './run-backend.js';

const memlock =
  'the locked-memory limit is too low to load BPF maps: under systemd set `LimitMEMLOCK=infinity` for netdata.service ' +
  '(systemctl edit netdata), elsewhere `ulimit -l unlimited`, or give the backend CAP_SYS_RESOURCE';
const privileges =
  'the backend may not load BPF programs: run the plugin as root, or give it CAP_BPF and CAP_PERFMON ' +
  '(`ebpf-process install` sets them); under systemd they must also be in CapabilityBoundingSet, ' +
  'and kernel.unprivileged_bpf_disabled or lockdown may forbid it (`ebpf-process check` says which)';

const stderrHints: ReadonlyArray<[RegExp, string]> = [
  [/ulimit -l|locked memory|memlock.*(fail|exceed|denied)|Cannot allocate memory|ENOMEM/i, memlock],
  [/Operation not permitted|EPERM|Permission denied|EACCES|must be run as root|insufficient privileges/i, privileges],
];
// EPERM, ENOMEM, EACCES: why the helper could not start.
const errnoHints: Readonly<Record<number, string>> = { 1: privileges, 12: memlock, 13: privileges };

/** The fix for the first known failure of a failed run, or undefined. */
export const failureHint = (exit: BackendExit): string | undefined => {
  if (exit.backend === 'helper') {
    return exit.events.flatMap((event) => (event.event === 'start_failed' ? [errnoHints[event.errno]] : [])).find(Boolean);
  }
  return stderrHints.find(([pattern]) => exit.stderr.some((line) => pattern.test(line) && !/couldn't set RLIMIT_MEMLOCK/i.test(line)))?.[1];
};
