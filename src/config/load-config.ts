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

/** The config, the files it was read from, the file that set each value not left at its default, and what was
 *  wrong in them (each bad value's default is used). */
export type LoadedConfig = Readonly<{
  config: Config;
  files: readonly string[];
  setIn: Partial<Record<keyof Config, string>>;
  warnings: readonly string[];
}>;

export const configSearchPath = (env: NodeJS.ProcessEnv = process.env): string[] => [
  stockConfigPath(configFileName, env),
  userConfigPath(configFileName, env),
];

const show = (value: unknown): string => JSON.stringify(String(value).slice(0, 80));

type RawGlobal = Record<string, unknown>;

const readIni = async (file: string, warnings: (string | BadValue)[]): Promise<RawGlobal | undefined> => {
  const read = await readConfigText(file, maxConfigBytes);
  if ('missing' in read) return undefined;
  if ('problem' in read) return warn(warnings, `${file}: ${read.problem}; ignored`);
  const { text } = read;
  repeatedFields(text).forEach((repeated) => warnings.push(`${file} [global]: ${repeated}`));
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

// The ini parser keeps the last of repeated keys silently; a user editing the wrong line should know. A key and
// its old name (`load`) set one field too.
const repeatedFields = (text: string): string[] => {
  const spellings = new Map<keyof Config, string[]>();
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]*)\]/.exec(line);
    if (header) section = header[1]!.trim();
    const key = /^\s*([^=;#[\s][^=]*?)\s*=/.exec(line)?.[1]?.toLowerCase();
    const field = key === undefined ? undefined : fieldFor(key);
    if (!header && key && field && section === 'global') spellings.set(field, [...(spellings.get(field) ?? []), key]);
  }
  return [...spellings]
    .filter(([, keys]) => keys.length > 1)
    .map(([field, keys]) => {
      const names = [...new Set(keys)];
      const spellings = names.length > 1 ? ` (as ${names.map((name) => `\`${name}\``).join(', ')})` : '';
      return `\`${configKeys[field]}\` is set more than once${spellings}; the last valid value is used`;
    });
};

const warn = (warnings: (string | BadValue)[], message: string): undefined => {
  warnings.push(message);
  return undefined;
};

const fieldFor = (key: string): keyof Config | undefined =>
  (Object.entries(configKeys).find(([, name]) => name === key)?.[0] as keyof Config | undefined) ?? legacyKeys[key];

/** Values read so far, each with the file that set it: a bad value in a later file falls back to them. */
type Settled = Partial<Record<keyof Config, { value: unknown; file: string }>>;

/** A bad value's line, finished once every file is read: it then names the value the plugin really uses. */
interface BadValue {
  readonly text: string;
  readonly field: keyof Config;
  readonly earlier: Settled[keyof Config];
}

// Says what is used instead, so the message matches what the plugin then does (a later line or file may set it).
const fallback = ({ text, field, earlier }: BadValue, settled: Settled): string => {
  const used = settled[field];
  if (!used) return `${text}; using the default ${show(defaultConfig[field] ?? unsetMeaning[field])}`;
  return `${text}; ${used === earlier ? 'keeping' : 'using'} ${show(used.value)} from ${used.file}`;
};

const applyGlobal = (file: string, global: RawGlobal, settled: Settled, warnings: (string | BadValue)[]): void => {
  for (const [rawKey, rawValue] of Object.entries(global)) {
    const key = rawKey.trim().toLowerCase();
    const field = fieldFor(key);
    if (!field) {
      warnings.push(`${file} [global]: unknown key \`${rawKey}\`; known keys: ${Object.values(configKeys).join(', ')}. Ignored`);
      continue;
    }
    if (Array.isArray(rawValue) || typeof rawValue === 'object') {
      warnings.push({ text: `${file} [global] ${key}: given more than once or as a list; write it once`, field, earlier: settled[field] });
      continue;
    }
    const parsed = configFieldSchemas[field].safeParse(rawValue);
    if (parsed.success) settled[field] = { value: parsed.data, file };
    else
      warnings.push({
        text: `${file} [global] ${key} = ${show(rawValue)}: expected ${acceptedValues[field]}`,
        field,
        earlier: settled[field],
      });
  }
};

export const loadConfig = async (explicitFile?: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> => {
  const warnings: (string | BadValue)[] = [];
  const files: string[] = [];
  const settled: Settled = {};
  const candidates = explicitFile ? [explicitFile] : configSearchPath(env);
  for (const file of candidates) {
    const global = await readIni(file, warnings);
    if (global === undefined) {
      if (explicitFile && !warnings.some((message) => typeof message === 'string' && message.startsWith(file))) {
        warnings.push(`${file}: no such config file; defaults used`);
      }
      continue;
    }
    files.push(file);
    applyGlobal(file, global, settled, warnings);
  }
  const values = Object.fromEntries(Object.entries(settled).map(([field, { value }]) => [field, value]));
  return {
    config: { ...defaultConfig, ...values } as Config,
    files,
    setIn: Object.fromEntries(Object.entries(settled).map(([field, { file }]) => [field, file])),
    warnings: warnings.map((warning) => (typeof warning === 'string' ? warning : fallback(warning, settled))),
  };
};
