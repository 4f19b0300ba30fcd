// SPDX-License-Identifier: GPL-3.0-or-later
// bpftrace's programs as the kernel counts them: node cannot call bpf(2), so the helper binary reports them, one
// answer per request, asked for at each of bpftrace's samples. `--skips-of PID` always, for the runs the kernel
// skipped; `--stats-of PID` with self monitoring, which also holds the run-time statistics on. Needs root
// (BPF_TASK_FD_QUERY, BPF_ENABLE_STATS), as bpftrace does.
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

export const startStatsReader = (helperFile: string, backendPid: number, timed: boolean, events: StatsReaderEvents): StatsReader => {
  const mode = timed ? '--stats-of' : '--skips-of';
  const [file, args] = withParentDeathSignal(helperFile, [mode, String(backendPid)]);
  const child = spawn(file, args, { env: { ...process.env, LC_ALL: 'C' }, stdio: 'pipe' });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  child.once('error', (error) => events.onProblem(`cannot run ${helperFile} ${mode}: ${error.message}`));
  child.stdin.on('error', () => {}); // it exited: its stderr says why
  const report = (line: string): void => events.onProblem(`bpftrace's program statistics: ${line}`);
  // An answer still in the pipe when bpftrace's run ended belongs to that run, not to the next one.
  let stopped = false;
  void readBoundedLines(child.stdout, maxLineLength, {
    onLine: (line) =>
      parseLine(line).forEach((record) => {
        if (stopped) return;
        if (record.type === 'prog_stats') events.onStats(record.programs);
        else if (record.type === 'error') report(record.message);
      }),
    onOversized: (length) => report(`a line of ${length} bytes from ${mode}, dropped`),
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
