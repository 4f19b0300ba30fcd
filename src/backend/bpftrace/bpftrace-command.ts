// SPDX-License-Identifier: GPL-3.0-or-later
// The bpftrace invocation for a plan.
import type { Plan } from '../../plan/plan-types.js';
import type { BackendCommand } from '../backend-command.js';
import { dialectFor } from './dialect.js';
import { generateScript } from './generate-script.js';
import type { ReleaseHost } from '../../plan/release-hook.js';
import { generatorName } from '../../version.js';
import { probesAttachedMarker } from '../markers.js';

export const bpftraceCommand = (
  plan: Plan,
  bpftrace: { path: string; version: string },
  intervalSeconds: number,
  host: ReleaseHost,
): BackendCommand => {
  const script = generateScript(plan, {
    dialect: dialectFor(bpftrace.version),
    output: 'json',
    intervalSeconds,
    generator: generatorName,
    kernelBtf: host.kernelBtf,
    filterFunctionsReadable: host.filterFunctionsReadable,
  });
  // `-` reads the program from stdin; -q drops nothing we need but the attach banner's text twin.
  // The attached marker lets the plugin send its first data at attach instead of one interval later.
  const env = { ...script.env, [probesAttachedMarker]: '1' };
  // Where the kernel hides its traceable functions, bpftrace is handed the ones it needs as a file on fd 3.
  const traceable = script.traceableFunctions;
  return {
    backend: 'bpftrace',
    file: bpftrace.path,
    args: [...script.flags, ...(traceable ? ['--traceable-functions', '/dev/fd/3'] : []), '-f', 'json', '-'],
    env,
    input: script.text,
    keyedEventLines: script.keyedEventLines,
    ...(traceable ? { fd3: `${traceable.join('\n')}\n` } : {}),
  };
};
