// SPDX-License-Identifier: GPL-3.0-or-later
// The lines both backends print to delimit samples. The bpftrace script prints them (generate-script.ts), the
// helper writes the same lines from C string literals (bpf-fallback/report.c: test/backend/markers.unit.test.ts
// checks they still equal these), and the sample assembler reads them.

/** The text the bpftrace script `printf`s after each interval's maps: what completes one sample. */
export const sampleMarker = 'sample\n';

/** The line `-f json` makes of that printf, which the helper prints as is. */
export const sampleMarkerLine = { type: 'printf', data: sampleMarker } as const;

/** bpftrace's line saying how many probes it is attaching (after attaching from 0.24); the helper prints it
 *  once everything is attached, so its first sample follows at once. */
export const attachedProbesType = 'attached_probes';
export const attachedProbesLine = (probes: number) => ({ type: attachedProbesType, data: { probes } }) as const;

/** bpftrace prints this plain line once every probe is attached when the variable of the same name is set
 *  (its test suite's hook: to stderr in 0.17, to stdout in later versions; `attached_probes` is printed
 *  before attaching up to 0.23). */
export const probesAttachedMarker = '__BPFTRACE_NOTIFY_PROBES_ATTACHED';
