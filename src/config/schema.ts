// SPDX-License-Identifier: GPL-3.0-or-later
// The one validator of config values, from the file and from flags alike.
import { z } from 'zod';
import { budgetWindowSeconds, keyTableEntries, updateEverySeconds } from '../limits.js';
import { modes } from '../plan/counters.js';
import { tracingChoices } from '../plan/families.js';
import type { Config } from './defaults.js';

const executablePath = z
  .string()
  .trim()
  .regex(/^\/[A-Za-z0-9_./+-]{1,4095}$/)
  .refine((path) => !path.split('/').includes('..'));

const lowerCase = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const wholeNumber = (value: unknown) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value);
// "2", "2%", "0.5 %": a percentage of one core.
const percentage = (value: unknown) =>
  typeof value === 'string' && /^\s*\d+(\.\d+)?\s*%?\s*$/.test(value) ? Number(value.replace('%', '')) : value;

export const configFieldSchemas = {
  mode: z.preprocess(lowerCase, z.enum(modes)),
  updateEvery: z.preprocess(wholeNumber, z.number().int().min(updateEverySeconds.min).max(updateEverySeconds.max)),
  tracing: z.preprocess(lowerCase, z.enum(tracingChoices)),
  backend: z.preprocess(lowerCase, z.enum(['auto', 'bpftrace', 'helper'])),
  // Absolute paths of plain characters: they are executed, as root or with capabilities.
  bpftracePath: executablePath,
  helperPath: executablePath,
  selfMonitoring: z.preprocess(lowerCase, z.enum(['yes', 'no'])),
  maxKernelCpu: z.preprocess(percentage, z.number().min(0.01).max(1000)),
  budgetWindow: z.preprocess(wholeNumber, z.number().int().min(budgetWindowSeconds.min).max(budgetWindowSeconds.max)),
  apps: z.preprocess(lowerCase, z.enum(['yes', 'no'])),
  appsTableSize: z.preprocess(wholeNumber, z.number().int().min(16).max(keyTableEntries.max)),
  cgroups: z.preprocess(lowerCase, z.enum(['yes', 'no'])),
  cgroupTableSize: z.preprocess(wholeNumber, z.number().int().min(keyTableEntries.min).max(keyTableEntries.max)),
} satisfies Record<keyof Config, z.ZodType>;

/** What a user may write, said the way the error message says it. */
export const acceptedValues: Record<keyof Config, string> = {
  mode: 'entry or return',
  updateEvery: `a whole number of seconds from ${updateEverySeconds.min} to ${updateEverySeconds.max}`,
  tracing: 'auto, trampoline, probe or tracepoint',
  backend: 'auto, bpftrace or helper',
  bpftracePath: 'an absolute path such as /usr/bin/bpftrace (letters, digits, _ . / + -)',
  helperPath: 'an absolute path such as /usr/lib/netdata/plugins.d/ebpf-process/ebpf-process-helper (letters, digits, _ . / + -)',
  selfMonitoring: 'yes or no',
  maxKernelCpu: 'a percentage of one core from 0.01 to 1000, such as 2 or 2% (leave the key out for no budget)',
  budgetWindow: `a whole number of seconds from ${budgetWindowSeconds.min} to ${budgetWindowSeconds.max}`,
  apps: 'yes or no',
  appsTableSize: `a whole number of task names from 16 to ${keyTableEntries.max}`,
  cgroups: 'yes or no',
  cgroupTableSize: `a whole number of cgroups from ${keyTableEntries.min} to ${keyTableEntries.max}`,
};
