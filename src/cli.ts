#!/usr/bin/env -S node --max-semi-space-size=2 --single-threaded-gc
// SPDX-License-Identifier: GPL-3.0-or-later
// Entry point of `ebpf-process` and `ebpf_process.plugin`.
import { buildProgram } from './cli/program.js';
import { CliError } from './cli/cli-error.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ebpf-process: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
}
