// SPDX-License-Identifier: GPL-3.0-or-later
// Self monitoring of the bpftrace backend: node cannot call bpf(2), so the helper binary in its `--stats-of
// PID` mode holds the kernel's run-time statistics on and reports bpftrace's programs, one answer per
// request, asked for at each of bpftrace's samples. Needs root (BPF_TASK_FD_QUERY, BPF_ENABLE_STATS).
import { spawn } from 'node:child_process';
import { readBoundedLines } from '../backend/bounded-lines.js';
import { withParentDeathSignal } from '../backend/parent-death.js';
import { maxLineLength, parseLine, type ProgramStats } from '../samples/parse-line.js';

export interface StatsReader {
  readonly pid: number | undefined;
  /** Ask for one prog_stats answer. */
  request(): void;
  /** Its stdin closes, which ends it; SIGKILL if it has not gone within a second. */
  stop(): void;
}

export interface StatsReaderEvents {
  readonly onStats: (programs: readonly ProgramStats[]) => void;
  readonly onProblem: (message: string) => void;
}

export const startStatsReader = (helperFile: string, backendPid: number, events: StatsReaderEvents): StatsReader => {
  const [file, args] = withParentDeathSignal(helperFile, ['--stats-of', String(backendPid)]);
  const child = spawn(file, args, { env: { ...process.env, LC_ALL: 'C' }, stdio: 'pipe' });
  const killOnExit = (): void => { child.kill('SIGKILL'); };
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  child.once('error', (error) => events.onProblem(`self monitoring: cannot run ${helperFile} --stats-of: ${error.message}`));
  child.stdin.on('error', () => {}); // it exited: its stderr says why
  const report = (line: string): void => events.onProblem(`self monitoring: ${line}`);
  // An answer still in the pipe when bpftrace's run ended belongs to that run, not to the next one.
  let stopped = false;
  void readBoundedLines(child.stdout, maxLineLength, {
    onLine: (line) => parseLine(line).forEach((record) => {
      if (stopped) return;
      if (record.type === 'prog_stats') events.onStats(record.programs);
      else if (record.type === 'error') report(record.message);
    }),
    onOversized: (length) => report(`a line of ${length} bytes from --stats-of, dropped`),
  });
  void readBoundedLines(child.stderr, maxLineLength, { onLine: report, onOversized: () => {} });
  return {
    pid: child.pid,
    request: () => {
      if (child.exitCode === null && child.stdin.writable) child.stdin.write('\n');
    },
    stop: () => {
      stopped = true;
      child.stdin.end();
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    },
  };
};
