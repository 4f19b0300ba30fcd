// SPDX-License-Identifier: GPL-3.0-or-later
// Asks the helper what it can use here (`ebpf-process-helper --probe`): as the netdata user, only the helper,
// through its file capabilities, sees tracefs and loads BPF. Its one line is validated before it becomes facts:
// the tracepoint names end up in generated scripts and command lines.
import { execFile } from 'node:child_process';
import { z } from 'zod';
import { failure, success, type Outcome } from '../outcome.js';
import { tracepointSchema, trampolineStates } from './facts.js';

/** Bounds the probe at every plugin start: it takes about 15 ms on a host, and up to 3 s in a loaded TCG guest
 *  (the kernel matrix), where a 3 s bound left the facts without fentry and task storage. */
const probeTimeoutMs = 10_000;
const maxOutputBytes = 16 * 1024;

const probeSchema = z.strictObject({
  euid: z.number().int().min(0).max(0xffff_fffe),
  // The helper only ever looks at these two.
  tracefs: z.enum(['/sys/kernel/tracing', '/sys/kernel/debug/tracing']).nullable(),
  tracepoints: z.array(tracepointSchema).max(128),
  bpf: z.boolean(),
  trampoline: z.enum(trampolineStates),
  trampoline_errno: z.number().int().min(1).max(4095).optional(),
  task_storage: z.boolean(),
});

export type ProbeResult = z.infer<typeof probeSchema>;

/** The probe's result, or why its output cannot be trusted. Only tracepoints that were asked for are accepted. */
export const parseProbeOutput = (stdout: string, asked: readonly string[]): Outcome<ProbeResult> => {
  const lines = stdout.split('\n').filter((line) => line !== '');
  if (lines.length !== 1) return failure(`expected one JSON line, got ${lines.length}`);
  let json: unknown;
  try {
    json = JSON.parse(lines[0]!);
  } catch {
    return failure(`not JSON: ${JSON.stringify(lines[0]!.slice(0, 80))}`);
  }
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return failure(`unexpected output: ${issue?.path.join('.') || 'top level'}: ${issue?.message}`);
  }
  const unasked = parsed.data.tracepoints.filter((tracepoint) => !asked.includes(tracepoint));
  if (unasked.length > 0) return failure(`reported tracepoints it was not asked about: ${unasked.slice(0, 3).join(', ')}`);
  if (parsed.data.tracefs === null && parsed.data.tracepoints.length > 0) return failure('reported tracepoints without tracefs');
  return success(parsed.data);
};

/** Runs the probe; never throws: a failure comes back as the reason. node:child_process, not execa: this runs
 * at every plugin start, and the plugin keeps execa out of memory. */
export const runHelperProbe = (helper: string, tracepoints: readonly string[], timeoutMs = probeTimeoutMs): Promise<Outcome<ProbeResult>> =>
  new Promise((resolve) => {
    execFile(
      helper,
      ['--probe', ...tracepoints],
      // SIGKILL: on SIGTERM the helper ends quietly with 0 (its shutdown path), read as an empty answer.
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: maxOutputBytes, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(parseProbeOutput(stdout, tracepoints));
        if (error.killed) return resolve(failure(`no answer within ${timeoutMs} ms`));
        const ended = typeof error.code === 'number' ? `exit code ${error.code}` : error.signal ? `signal ${error.signal}` : error.message;
        return resolve(failure(`${ended}${stderr ? `: ${stderr.trim().slice(0, 200)}` : ''}`));
      },
    ).stdin?.end();
  });
