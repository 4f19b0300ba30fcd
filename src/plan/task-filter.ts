// SPDX-License-Identifier: GPL-3.0-or-later
// Restrict counting to one process tree or one command name. Both values reach kernel programs, so they are
// validated here against strict patterns and nothing else is accepted.
import { z } from 'zod';

/** Linux's PID_MAX_LIMIT is 2^22. */
const PID_MAX_LIMIT = 4_194_304;
/** A task's comm is at most 15 bytes (TASK_COMM_LEN 16 with the NUL). */
const commPattern = /^[A-Za-z0-9_.:+@-]{1,15}$/;

export const taskFilterSchema = z.object({
  pid: z.number().int().min(1).max(PID_MAX_LIMIT).optional(),
  comm: z.string().regex(commPattern, 'a command name of 1-15 characters from A-Z a-z 0-9 _ . : + @ -').optional(),
}).strict();

export type TaskFilter = z.infer<typeof taskFilterSchema>;

export const isFiltering = (filter: TaskFilter | undefined): filter is TaskFilter =>
  filter !== undefined && (filter.pid !== undefined || filter.comm !== undefined);

/** Parse a --pid flag's text: digits only, in range. */
export const parsePid = (text: string): number => {
  if (!/^\d{1,7}$/.test(text)) throw new Error(`Expected --pid to be a process id (digits), got \`${text}\``);
  return taskFilterSchema.shape.pid.unwrap().parse(Number(text));
};
