// SPDX-License-Identifier: GPL-3.0-or-later
// Read ebpf_process.conf: the user's file over the stock one (Netdata's layout), or one given by --config.
// A bad value never stops the plugin: it is reported in one line, and what was there before it is kept:
// the stock file's value when the stock file set one, else the default.
import ini from 'ini';
import { readConfigText, stockConfigPath, userConfigPath } from './config-files.js';
import { configKeys, defaultConfig, legacyKeys, unsetMeaning, type Config } from './defaults.js';
import { acceptedValues, configFieldSchemas } from './schema.js';

export const configFileName = 'ebpf_process.conf';
/** A config file is a few lines; anything larger is a mistake, not a config. */
const maxConfigBytes = 64 * 1024;

/** The config, the files it was read from, and what was wrong in them (each bad value's default is used). */
export type LoadedConfig = Readonly<{ config: Config; files: readonly string[]; warnings: readonly string[] }>;

export const configSearchPath = (env: NodeJS.ProcessEnv = process.env): string[] =>
  [stockConfigPath(configFileName, env), userConfigPath(configFileName, env)];

const show = (value: unknown): string => JSON.stringify(String(value).slice(0, 80));

type RawGlobal = Record<string, unknown>;

const readIni = async (file: string, warnings: string[]): Promise<RawGlobal | undefined> => {
  const read = await readConfigText(file, maxConfigBytes);
  if ('missing' in read) return undefined;
  if ('problem' in read) return warn(warnings, `${file}: ${read.problem}; ignored`);
  const { text } = read;
  duplicateKeys(text).forEach((key) => warnings.push(`${file} [global]: \`${key}\` is set more than once; the last value is used`));
  const parsed = ini.parse(text) as Record<string, unknown>;
  for (const [name, value] of Object.entries(parsed)) {
    if (name !== 'global' && (typeof value !== 'object' || value === null)) {
      warnings.push(`${file}: \`${name}\` is outside any section; put it under [global]. Ignored`);
    } else if (name !== 'global') {
      warnings.push(`${file}: unknown section [${name}]; only [global] is read. Ignored`);
    }
  }
  const global = parsed.global;
  return typeof global === 'object' && global !== null ? (global as RawGlobal) : {};
};

// The ini parser keeps the last of repeated keys silently; a user editing the wrong line should know.
const duplicateKeys = (text: string): string[] => {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]*)\]/.exec(line);
    if (header) section = header[1]!.trim();
    const key = /^\s*([^=;#[\s][^=]*?)\s*=/.exec(line)?.[1]?.toLowerCase();
    if (!header && key && section === 'global') {
      if (seen.has(key)) repeated.add(key);
      seen.add(key);
    }
  }
  return [...repeated];
};

const warn = (warnings: string[], message: string): undefined => {
  warnings.push(message);
  return undefined;
};

const fieldFor = (key: string): keyof Config | undefined =>
  (Object.entries(configKeys).find(([, name]) => name === key)?.[0] as keyof Config | undefined) ?? legacyKeys[key];

/** Values read so far, each with the file that set it: a bad value in a later file falls back to them. */
type Settled = Partial<Record<keyof Config, { value: unknown; file: string }>>;

// Says what is used instead, so the message matches what the plugin then does.
const fallback = (field: keyof Config, settled: Settled): string => {
  const earlier = settled[field];
  return earlier ? `keeping ${show(earlier.value)} from ${earlier.file}` : `using the default ${show(defaultConfig[field] ?? unsetMeaning[field])}`;
};

const applyGlobal = (file: string, global: RawGlobal, settled: Settled, warnings: string[]): void => {
  for (const [rawKey, rawValue] of Object.entries(global)) {
    const key = rawKey.trim().toLowerCase();
    const field = fieldFor(key);
    if (!field) {
      warnings.push(`${file} [global]: unknown key \`${rawKey}\`; known keys: ${Object.values(configKeys).join(', ')}. Ignored`);
      continue;
    }
    if (Array.isArray(rawValue) || typeof rawValue === 'object') {
      warnings.push(`${file} [global] ${key}: given more than once or as a list; write it once. ${fallback(field, settled)}`);
      continue;
    }
    const parsed = configFieldSchemas[field].safeParse(rawValue);
    if (parsed.success) settled[field] = { value: parsed.data, file };
    else warnings.push(`${file} [global] ${key} = ${show(rawValue)}: expected ${acceptedValues[field]}; ${fallback(field, settled)}`);
  }
};

export const loadConfig = async (explicitFile?: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> => {
  const warnings: string[] = [];
  const files: string[] = [];
  const settled: Settled = {};
  const candidates = explicitFile ? [explicitFile] : configSearchPath(env);
  for (const file of candidates) {
    const global = await readIni(file, warnings);
    if (global === undefined) {
      if (explicitFile && !warnings.some((message) => message.startsWith(file))) {
        warnings.push(`${file}: no such config file; defaults used`);
      }
      continue;
    }
    files.push(file);
    applyGlobal(file, global, settled, warnings);
  }
  const values = Object.fromEntries(Object.entries(settled).map(([field, { value }]) => [field, value]));
  return { config: { ...defaultConfig, ...values } as Config, files, warnings };
};
