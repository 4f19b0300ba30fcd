// SPDX-License-Identifier: GPL-3.0-or-later
// Where Netdata keeps config files, and reading one safely: both ebpf_process.conf and apps_groups.conf use it.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Netdata's two config folders (Debian's defaults): its stock files, and the user's edited copies. */
export const netdataConfigDirs = (env: NodeJS.ProcessEnv = process.env): { readonly stock: string; readonly user: string } => ({
  stock: env.NETDATA_STOCK_CONFIG_DIR ?? '/usr/lib/netdata/conf.d',
  user: env.NETDATA_USER_CONFIG_DIR ?? '/etc/netdata',
});

export const stockConfigPath = (name: string, env?: NodeJS.ProcessEnv): string => path.join(netdataConfigDirs(env).stock, name);
export const userConfigPath = (name: string, env?: NodeJS.ProcessEnv): string => path.join(netdataConfigDirs(env).user, name);

/** A config file's text, or why it was not read (`missing`: no such file, which is not a problem). */
export type ConfigText = { readonly text: string } | { readonly missing: true } | { readonly problem: string };

// A config file is small text; anything else is a mistake, not a config, and is not parsed.
export const readConfigText = async (file: string, maxBytes: number): Promise<ConfigText> => {
  const info = await stat(file).catch(() => undefined);
  if (!info) return { missing: true };
  if (!info.isFile()) return { problem: 'not a regular file' };
  if (info.size > maxBytes) return { problem: `${info.size} bytes is larger than ${maxBytes}` };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { problem: `cannot read (${(error as Error).message})` };
  }
  return text.includes('\0') ? { problem: 'binary content, not a text file' } : { text };
};
