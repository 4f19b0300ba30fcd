// SPDX-License-Identifier: GPL-3.0-or-later
// A backend that cannot load its programs says so in libbpf's or bpftrace's words; the user needs the fix.
// Only consulted for runs that failed: the RLIMIT_MEMLOCK warning alone appears on every healthy run too.

const hints: ReadonlyArray<[RegExp, string]> = [
  [/ulimit -l|locked memory|memlock.*(fail|exceed|denied)|Cannot allocate memory|ENOMEM/i,
    'the locked-memory limit is too low to load BPF maps: under systemd set `LimitMEMLOCK=infinity` for netdata.service '
    + '(systemctl edit netdata), elsewhere `ulimit -l unlimited`, or give the backend CAP_SYS_RESOURCE'],
  [/Operation not permitted|EPERM|Permission denied|EACCES|must be run as root|insufficient privileges/i,
    'the backend may not load BPF programs: run the plugin as root, or give it CAP_BPF and CAP_PERFMON '
    + '(`ebpf-process install` sets them); under systemd they must also be in CapabilityBoundingSet, '
    + 'and kernel.unprivileged_bpf_disabled or lockdown may forbid it (`ebpf-process check` says which)'],
];

/** The fix for the first known failure in a failed run's stderr, or undefined. */
export const failureHint = (stderr: readonly string[]): string | undefined =>
  hints.find(([pattern]) => stderr.some((line) => pattern.test(line) && !/couldn't set RLIMIT_MEMLOCK/i.test(line)))?.[1];
