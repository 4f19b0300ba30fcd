// SPDX-License-Identifier: GPL-3.0-or-later
// Run the built plugin (dist/cli.js) around a workload that waits to be released, and collect its output.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = path.join(repoRoot, 'dist/cli.js');
const workloadScript = path.join(repoRoot, 'test/fixtures/workloads/file-and-task-activity.mjs');

const waitFor = async (predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export interface PluginRun {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

/** Start the workload, attach the plugin to it (--pid), release it, and stop the plugin two samples later. */
export const runPluginAroundWorkload = async (pluginArgs: readonly string[], rounds = 50): Promise<PluginRun> => {
  const workload = execa(process.execPath, [workloadScript, String(rounds)], { stdin: 'pipe', buffer: true });
  let pidLine = '';
  workload.stdout!.on('data', (chunk: Buffer) => {
    pidLine += chunk.toString();
  });
  await waitFor(() => pidLine.includes('\n'), 'the workload pid');
  const pid = pidLine.trim();

  const plugin = execa(cli, ['1', '--pid', pid, ...pluginArgs], { reject: false, buffer: true });
  let stdout = '';
  plugin.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const blocks = () => stdout.split('\nBEGIN ebpf.file_descriptor').length - 1;
  try {
    await waitFor(() => blocks() >= 1, 'the first data block (bpftrace attached)');
    workload.stdin!.end('go\n');
    await workload;
    const seen = blocks();
    await waitFor(() => blocks() >= seen + 2, 'two samples after the workload ended');
  } finally {
    plugin.kill('SIGTERM');
    workload.kill('SIGKILL');
  }
  const result = await plugin;
  return { stdout: result.stdout === undefined ? stdout : stdout, stderr: String(result.stderr ?? ''), exitCode: result.exitCode };
};
