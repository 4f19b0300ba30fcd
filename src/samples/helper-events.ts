// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's own events: typed lines (`{"event": ...}`) on its stdout beside the counter lines, written by
// bpf-fallback/report.c. The plugin acts on these, never on the helper's stderr wording.
import { z } from 'zod';

// Names and targets as the helper validates them (options.c); a reason is strerror's text or the helper's.
const name = z.string().min(1).max(300);
const failure = { errno: z.number().int().nonnegative(), reason: z.string().max(300) };
const program = { program: name, kind: z.enum(['fentry', 'fexit', 'kprobe', 'kretprobe', 'tracepoint']), ...failure };

export const helperEventSchema = z.discriminatedUnion('event', [
  /** One target of a program could not be attached (or, for fentry/fexit, is not in the kernel's BTF). */
  z.object({ event: z.literal('attach_failed'), ...program, target: name }),
  /** The kernel refused to load the program (the verifier, or a program kind it refuses): none of its targets run. */
  z.object({ event: z.literal('program_refused'), ...program, targets: z.array(name).min(1).max(8) }),
  /** The helper cannot count at all and exits: nothing loads though no single program is to blame, or --pid's
   *  own tracepoints do not attach. */
  z.object({ event: z.literal('start_failed'), stage: z.enum(['load', 'follow_pid']), ...failure }),
  /** The --btf file did not fit the helper's object: it loaded with the kernel's own BTF instead. */
  z.object({ event: z.literal('btf_rejected'), path: z.string().max(4096) }),
]);

export type HelperEvent = z.infer<typeof helperEventSchema>;

/** Where each target of a failed program was to attach, as the plan names attach points ("fentry:vfs_read"). */
export const failedAttachPoints = (event: HelperEvent): string[] => {
  if (event.event === 'attach_failed') return [`${event.kind}:${event.target}`];
  if (event.event === 'program_refused') return event.targets.map((target) => `${event.kind}:${target}`);
  return [];
};

/** What to tell the user about an event that changes nothing in the plan (the run goes on); undefined for others. */
export const warningOf = (event: HelperEvent): string | undefined =>
  event.event === 'btf_rejected'
    ? `the helper's --btf ${event.path} does not fit it, so it read the kernel's own BTF (more memory): ` +
      'regenerate it with `ebpf-process install` or scripts/setup.sh'
    : undefined;
