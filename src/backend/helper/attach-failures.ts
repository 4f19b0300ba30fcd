// SPDX-License-Identifier: GPL-3.0-or-later
// Reads the helper's attach failures (exit code 3) from its stderr, for the plugin to re-plan without them.
import type { Refusal } from '../../plan/plan-types.js';

/** The helper's exit code when some attach points failed and were reported on stderr. */
export const ATTACH_FAILED_EXIT_CODE = 3;

const failureLine = /^ebpf-process-helper: attach failed: (\S+) \((.*)\)$/;

/** One refusal per reported attach point, e.g. `fentry:vfs_read` "Operation not permitted". */
export const parseAttachFailures = (stderr: string): Refusal[] =>
  stderr.split('\n').flatMap((line) => {
    const match = failureLine.exec(line.trim());
    return match ? [{ attachPoint: match[1]!, reason: `the helper could not attach it: ${match[2]!}` }] : [];
  });
