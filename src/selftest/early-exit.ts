// SPDX-License-Identifier: GPL-3.0-or-later
// Why a backend ended before its first sample, in selftest's error: all the stderr lines run-backend kept. bpftrace
// states the cause first and its context after (a 0.27 error is followed by its "expanded from" lines), so an end
// of the output alone can lose the cause.
export const earlyExitMessage = (backend: string, stderr: readonly string[]): string =>
  `${backend} exited before its first sample${stderr.length ? `:\n${stderr.join('\n')}` : ', with nothing on stderr'}`;
