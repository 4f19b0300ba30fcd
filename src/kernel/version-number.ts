// SPDX-License-Identifier: GPL-3.0-or-later
// Dotted version numbers, of kernels ("5.15.0-91-generic") and of bpftrace ("0.17.0"): one parser, one order.

export type VersionNumber = readonly [major: number, minor: number, patch: number];

/** The first "X.Y" or "X.Y.Z" in the text (a missing patch is 0); an unparsable one counts as very new, as
 *  bpftrace's peers (PCP's bpftrace agent) do. */
export const parseVersion = (text: string): VersionNumber => {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : [999, 0, 0];
};

export const compareVersions = (a: VersionNumber, b: VersionNumber): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** bpftrace's minor version, which is what its releases differ by (every one so far is 0.x); 1.x or an unparsable
 *  version counts as newest. */
export const bpftraceMinor = (text: string): number => {
  const version = parseVersion(text);
  return version[0] > 0 ? Number.MAX_SAFE_INTEGER : version[1];
};
