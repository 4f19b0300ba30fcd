// SPDX-License-Identifier: GPL-3.0-or-later
// The built plugin as a child of the test, its backend children, and the BPF programs they hold.
import { readdirSync, readFileSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { cli } from '../../helpers/run-plugin.js';
import { fdinfoOf, programsIn } from '../../../src/self-cost/bpf-fdinfo.js';
import { hasEnded, statFields } from '../../../src/self-cost/proc-stat.js';

export interface PluginProcess {
  readonly child: ResultPromise;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** `wrapper`: a command that runs node after it (`unshare ... sh -c '...; exec "$0" "$@"'`). */
export const startPlugin = (args: readonly string[], env: Record<string, string> = {}, wrapper: readonly string[] = []): PluginProcess => {
  const [file, ...before] = [...wrapper, process.execPath];
  const child = execa(file!, [...before, cli, ...args], { reject: false, buffer: false, env, stdin: 'ignore' });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
};

export const waitFor = async (predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const readOr = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** Live children of `pid` (the backend runs in place of setpriv, so it is a direct child). */
export const childPids = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => {
      // A zombie is dead already.
      const [state, ppid] = statFields(candidate) ?? [];
      return Number(ppid) === pid && !hasEnded(state);
    });

export const commOf = (pid: number): string => readOr(`/proc/${pid}/comm`).trim();

/** The ids of the BPF programs a process holds open (its program and link fds): exactly ours, sorted. */
export const heldProgramIds = (pid: number): number[] => [...programsIn(fdinfoOf(pid) ?? []).keys()].sort((a, b) => a - b);

/** Ids of every BPF program loaded on the host, as bpftool lists them. */
export const loadedProgramIds = async (): Promise<Set<number>> => {
  const { stdout } = await execa('bpftool', ['prog', 'show', '--json']);
  return new Set((JSON.parse(stdout) as Array<{ id: number }>).map((program) => program.id));
};

/** kprobe events left in tracefs (none on kernels without kprobes, where the file does not exist). */
export const kprobeEvents = (): string[] => readOr('/sys/kernel/tracing/kprobe_events').split('\n').filter(Boolean);

/** The backend process of a running plugin (its pid), once it holds its BPF programs. */
export const attachedBackend = async (pluginPid: number, names: readonly string[]): Promise<number> => {
  let backend: number | undefined;
  await waitFor(
    () => {
      backend = childPids(pluginPid).find((pid) => names.includes(commOf(pid)) && heldProgramIds(pid).length > 0);
      return backend !== undefined;
    },
    `a ${names.join('/')} backend holding BPF programs`,
  );
  return backend!;
};
