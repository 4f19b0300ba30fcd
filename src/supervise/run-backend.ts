// SPDX-License-Identifier: GPL-3.0-or-later
// Run one backend process: feed its stdout lines to the parser, keep its events and stderr, stop it cleanly.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync } from 'node:fs';
import { unlinkedFile } from '../backend/unlinked-file.js';
import type { BackendCommand } from '../backend/backend-command.js';
import type { Backend } from '../plan/plan-types.js';
import { warningOf, type HelperEvent } from '../samples/helper-events.js';
import { probesAttachedMarker } from '../backend/markers.js';
import { maxLineLength, parseLine } from '../samples/parse-line.js';
import { SampleAssembler, type AssemblerEvents } from '../samples/sample-assembler.js';
import { readBoundedLines } from '../backend/bounded-lines.js';
import { withParentDeathSignal } from '../backend/parent-death.js';

export interface BackendExit {
  readonly backend: Backend;
  readonly code: number | undefined;
  readonly signal: string | undefined;
  /** The last stderr lines, for error messages (and bpftrace's attach failures, which it only tells there). */
  readonly stderr: readonly string[];
  /** The helper's typed events, in order (attach failures: attach-refusals.ts). */
  readonly events: readonly HelperEvent[];
  readonly samples: number;
}

export interface BackendRun {
  readonly pid: number | undefined;
  readonly exited: Promise<BackendExit>;
  /** SIGINT (bpftrace detaches and exits), then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<BackendExit>;
}

const keptStderrLines = 40;
// The helper reports at most one event per target (64 programs of 8 targets) and a few of its own.
const keptEvents = 1024;

export const runBackend = (command: BackendCommand, events: AssemblerEvents, onStderr: (line: string) => void = () => {}): BackendRun => {
  const [file, args] = withParentDeathSignal(command.file, command.args);
  // node:child_process rather than execa: execa is ~7 MiB of the plugin's RSS and ~70 ms of its start.
  const fd3 = command.fd3 === undefined ? undefined : unlinkedFile(command.fd3);
  const stdio = fd3 === undefined ? 'pipe' : ['pipe', 'pipe', 'pipe', fd3];
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(file, args, { env: { ...process.env, ...command.env, LC_ALL: 'C' }, stdio: stdio as 'pipe' });
  } finally {
    if (fd3 !== undefined) closeSync(fd3); // the child has its own copy
  }
  // bpftrace reads its script from stdin; the helper watches stdin and exits when the plugin is gone.
  child.stdin.on('error', () => {}); // a child that exits early closes the pipe: its exit says why
  if (command.input !== undefined) child.stdin.end(command.input);
  // A plugin that exits takes its backend along (bpftrace has no parent-death signal without setpriv).
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const ended = new Promise<{ code: number | undefined; signal: string | undefined; spawnError?: string }>((resolve) => {
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ code: undefined, signal: undefined, spawnError: `cannot run ${file}: ${error.message}` });
    });
    child.once('exit', (code, signal) => resolve({ code: code ?? undefined, signal: signal ?? undefined }));
  });
  let samples = 0;
  let stopping = false;
  const stderr: string[] = [];
  const helperEvents: HelperEvent[] = [];
  const assembler = new SampleAssembler(
    {
      ...events,
      onEvent: (event) => {
        if (helperEvents.length < keptEvents) helperEvents.push(event);
        const warning = warningOf(event);
        if (warning) events.onProblem?.(warning);
      },
      onSample: (sample, keyed, unkeyed) => {
        samples += 1;
        if (!stopping) events.onSample(sample, keyed, unkeyed);
      },
    },
    command.keyedEventLines,
  );
  const stdoutClosed = readBoundedLines(child.stdout, maxLineLength, {
    onLine: (line) => parseLine(line).forEach((record) => assembler.push(record)),
    onOversized: (length) => assembler.push({ type: 'invalid', reason: `line of ${length} bytes exceeds ${maxLineLength}` }),
  });
  const keepStderr = (line: string): void => {
    // bpftrace 0.17 writes its attached marker to stderr, later versions to stdout (parsed there).
    if (line === probesAttachedMarker) {
      assembler.push({ type: 'ready' });
      return;
    }
    stderr.push(line);
    if (stderr.length > keptStderrLines) stderr.shift();
    onStderr(line);
  };
  const stderrClosed = readBoundedLines(child.stderr, maxLineLength, {
    onLine: keepStderr,
    onOversized: (length) => keepStderr(`(a stderr line of ${length} bytes, dropped)`),
  });
  const exited = (async (): Promise<BackendExit> => {
    const result = await ended;
    await Promise.all([stdoutClosed, stderrClosed]);
    process.off('exit', killOnExit);
    return {
      backend: command.backend,
      code: result.code,
      signal: result.signal,
      stderr: result.spawnError ? [...stderr, result.spawnError] : stderr,
      events: helperEvents,
      samples,
    };
  })();
  const stop = async (graceMs = 3000): Promise<BackendExit> => {
    stopping = true;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return { pid: child.pid, exited, stop };
};
