// SPDX-License-Identifier: GPL-3.0-or-later
// Restrict counting to one process tree or one command name. Both values reach kernel programs, so they are
// validated here against strict patterns and nothing else is accepted.
import { z } from 'zod';
import { commPattern, commRule, pidMaxLimit } from '../limits.js';

export const taskFilterSchema = z
  .object({
    pid: z.number().int().min(1).max(pidMaxLimit).optional(),
    comm: z.string().regex(commPattern, commRule).optional(),
  })
  .strict();

export type TaskFilter = z.infer<typeof taskFilterSchema>;

export const isFiltering = (filter: TaskFilter | undefined): filter is TaskFilter =>
  filter !== undefined && (filter.pid !== undefined || filter.comm !== undefined);

/** Parse a --pid flag's text: digits only, in range. */
export const parsePid = (text: string): number => {
  if (!/^\d{1,7}$/.test(text)) throw new Error(`Expected --pid to be a process id (digits), got \`${text}\``);
  return taskFilterSchema.shape.pid.unwrap().parse(Number(text));
};
