// SPDX-License-Identifier: GPL-3.0-or-later
// bpftrace refusing the script we generated (a syntax, type or semantic error) is our bug, not the host's:
// no restart can fix it, so the plugin moves to the other backend at once and shows bpftrace's own words.
import { refusalsFromStderr } from './attach-refusals.js';
import type { BackendExit } from './run-backend.js';

// bpftrace points at the script it read from stdin: "stdin:37:22-23: ERROR: …", "stdin:27-29: ERROR: …".
const scriptError = /^stdin:[\d:-]+: ERROR: /;
const diagnostic = /^(stdin:[\d:-]+: )?(ERROR|WARNING)\b/;

/** bpftrace's errors about the script, each with the source excerpt it printed under it; undefined if none. */
export const scriptRejection = (exit: BackendExit): string | undefined => {
  if (exit.samples > 0) return undefined;
  const lines: string[] = [];
  let inError = false;
  for (const line of exit.stderr) {
    // A target the kernel lacks is also reported against a script line: that one the planner avoids.
    if (diagnostic.test(line)) inError = scriptError.test(line) && refusalsFromStderr([line]).length === 0;
    if (inError) lines.push(line);
  }
  return lines.length ? lines.join('\n') : undefined;
};
