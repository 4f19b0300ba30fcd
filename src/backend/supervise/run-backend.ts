// SPDX-License-Identifier: GPL-3.0-or-later
// Run one backend process: feed its stdout lines to the parser, keep its stderr, stop it cleanly.
import { execa } from 'execa';
import type { BackendCommand } from '../backend-command.js';
import { maxLineLength, parseLine, probesAttachedMarker } from '../../samples/parse-line.js';
import { SampleAssembler, type AssemblerEvents } from '../../samples/sample-assembler.js';
import { readBoundedLines } from './bounded-lines.js';
import { withParentDeathSignal } from './parent-death.js';

export interface BackendExit {
  readonly code: number | undefined;
  readonly signal: string | undefined;
  /** The last stderr lines, for error messages and attach-failure refusals. */
  readonly stderr: readonly string[];
  readonly samples: number;
}

export interface BackendRun {
  readonly pid: number | undefined;
  readonly exited: Promise<BackendExit>;
  /** SIGINT (bpftrace detaches and exits), then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<BackendExit>;
}

const keptStderrLines = 40;

export const runBackend = (
  command: BackendCommand,
  events: AssemblerEvents,
  onStderr: (line: string) => void = () => {},
): BackendRun => {
  const [file, args] = withParentDeathSignal(command.file, command.args);
  const child = execa(file, args, {
    // bpftrace reads its script from stdin; the helper watches stdin and exits when the plugin is gone.
    ...(command.input === undefined ? { stdin: 'pipe' as const } : { input: command.input }),
    env: { ...command.env, LC_ALL: 'C' },
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: true,
    forceKillAfterDelay: false,
  });
  let samples = 0;
  let stopping = false;
  const stderr: string[] = [];
  const assembler = new SampleAssembler({
    ...events,
    onSample: (sample) => {
      samples += 1;
      if (!stopping) events.onSample(sample);
    },
  });
  const stdoutClosed = readBoundedLines(child.stdout!, maxLineLength, {
    onLine: (line) => parseLine(line).forEach((record) => assembler.push(record)),
    onOversized: (length) => assembler.push({ type: 'invalid', reason: `line of ${length} bytes exceeds ${maxLineLength}` }),
  });
  const keepStderr = (line: string): void => {
    // bpftrace 0.17 writes its attached marker to stderr, later versions to stdout (parsed there).
    if (line === probesAttachedMarker) return assembler.push({ type: 'ready' });
    stderr.push(line);
    if (stderr.length > keptStderrLines) stderr.shift();
    onStderr(line);
  };
  const stderrClosed = readBoundedLines(child.stderr!, maxLineLength, {
    onLine: keepStderr,
    onOversized: (length) => keepStderr(`(a stderr line of ${length} bytes, dropped)`),
  });
  const exited = (async (): Promise<BackendExit> => {
    const result = await child;
    await Promise.all([stdoutClosed, stderrClosed]);
    const spawnError = result.failed && result.exitCode === undefined && result.signal === undefined ? result.shortMessage : undefined;
    return {
      code: result.exitCode,
      signal: result.signal,
      stderr: spawnError ? [...stderr, spawnError] : stderr,
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
