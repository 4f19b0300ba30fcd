// SPDX-License-Identifier: GPL-3.0-or-later
// Config file values, overridden by flags; flags go through the same validators as the file.
import { InvalidArgumentError } from 'commander';
import type { Config } from '../config/defaults.js';
import { loadConfig } from '../config/load-config.js';
import { acceptedValues, configFieldSchemas } from '../config/schema.js';
import { commRule, updateEverySeconds } from '../limits.js';
import { parsePid, taskFilterSchema, type TaskFilter } from '../plan/task-filter.js';

export interface CommonFlags {
  readonly config?: string;
  readonly mode?: Config['mode'];
  readonly probeType?: Config['tracing'];
  readonly backend?: Config['backend'];
  readonly pid?: number;
  readonly comm?: string;
  readonly apps?: boolean;
  readonly cgroups?: boolean;
}

/** A commander argument parser for one config field: a bad flag is a usage error naming what is accepted. */
export const flagParser =
  <K extends keyof Config>(field: K, flag: string) =>
  (value: string): Config[K] => {
    const parsed = configFieldSchemas[field].safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`${flag} ${JSON.stringify(value)}: expected ${acceptedValues[field]}.`);
    return parsed.data as Config[K];
  };

export const pidParser = (value: string): number => {
  try {
    return parsePid(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
};

export const commParser = (value: string): string => {
  const parsed = taskFilterSchema.shape.comm.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`--comm ${JSON.stringify(value)}: expected ${commRule}.`);
  return parsed.data!;
};

/** Seconds given as text (Netdata's argument, --interval): digits in the update interval's range, else undefined. */
export const secondsFromText = (text: string): number | undefined => {
  const seconds = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  return seconds >= updateEverySeconds.min && seconds <= updateEverySeconds.max ? seconds : undefined;
};

export interface Settings {
  readonly config: Config;
  readonly filter: TaskFilter | undefined;
  readonly warnings: readonly string[];
  readonly files: readonly string[];
  /** The config file that set each value a flag did not. */
  readonly setIn: Partial<Record<keyof Config, string>>;
}

export const resolveSettings = async (flags: CommonFlags): Promise<Settings> => {
  const loaded = await loadConfig(flags.config);
  const config: Config = {
    ...loaded.config,
    ...(flags.mode ? { mode: flags.mode } : {}),
    ...(flags.probeType ? { tracing: flags.probeType } : {}),
    ...(flags.backend ? { backend: flags.backend } : {}),
    ...(flags.apps ? { apps: 'yes' as const } : {}),
    ...(flags.cgroups ? { cgroups: 'yes' as const } : {}),
  };
  const filter =
    flags.pid !== undefined || flags.comm !== undefined
      ? { ...(flags.pid !== undefined ? { pid: flags.pid } : {}), ...(flags.comm !== undefined ? { comm: flags.comm } : {}) }
      : undefined;
  return { config, filter, warnings: loaded.warnings, files: loaded.files, setIn: loaded.setIn };
};
