// SPDX-License-Identifier: GPL-3.0-or-later
// Ctrl-C (or a SIGTERM, SIGHUP) in the middle of a selftest would otherwise skip its `finally`: node exits at
// once and leaves what the run made behind (the cgroup made for it, the workload's directory).
import { constants } from 'node:os';

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Runs `cleanup` once, on the first interrupt, then exits as the signal would have (128 + its number); later
 *  signals are ignored until then. Returns the function that stops listening, for a run that ends by itself. */
export const cleanUpOnInterrupt = (cleanup: () => Promise<void>): (() => void) => {
  let interrupted = false;
  // Listening with `on`, not `once`: without a listener a second signal would kill node mid-cleanup.
  const handler = (signal: (typeof signals)[number]): void => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`selftest: ${signal}: cleaning up\n`);
    void cleanup()
      .catch((error: unknown) => process.stderr.write(`selftest: ${String(error)}\n`))
      .finally(() => process.exit(128 + constants.signals[signal]));
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
};
