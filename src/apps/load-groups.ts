// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's apps_groups.conf as apps.plugin finds it: the user's copy when there is one, else the stock one
// (the whole file, not merged), parsed, fitted to what the kernel keeps of a task's name.
import { readConfigText, stockConfigPath, userConfigPath } from '../config/config-files.js';
import { fitRulesToComm } from './fit-to-comm.js';
import { type AppGroups, groupMatcher, type GroupOfComm } from './group-rules.js';
import { parseAppsGroups } from './parse-groups.js';

export const appsGroupsFileName = 'apps_groups.conf';
/** The stock file is about 20 KB; a file a hundred times larger is not a group list. */
const maxGroupsBytes = 2 * 1024 * 1024;

export interface LoadedGroups extends AppGroups {
  /** The file used; undefined when neither was readable (then everything counts in `other`). */
  readonly file: string | undefined;
  readonly groupOf: GroupOfComm;
  readonly warnings: readonly string[];
}

export const appsGroupsSearchPath = (env: NodeJS.ProcessEnv = process.env): string[] => [
  userConfigPath(appsGroupsFileName, env),
  stockConfigPath(appsGroupsFileName, env),
];

export const loadAppsGroups = async (env: NodeJS.ProcessEnv = process.env): Promise<LoadedGroups> => {
  const warnings: string[] = [];
  const candidates = appsGroupsSearchPath(env);
  for (const file of candidates) {
    const read = await readConfigText(file, maxGroupsBytes);
    if ('missing' in read) continue;
    if ('problem' in read) {
      warnings.push(`${file}: ${read.problem}; ignored`);
      continue;
    }
    const parsed = parseAppsGroups(read.text, file);
    const fitted = fitRulesToComm(parsed.rules, file);
    return {
      file,
      groups: parsed.groups,
      rules: fitted.rules,
      groupOf: groupMatcher(fitted.rules),
      warnings: [...warnings, ...parsed.warnings, ...fitted.warnings],
    };
  }
  warnings.push(
    `no readable ${appsGroupsFileName} in ${candidates.join(' or ')}: every task counts ` +
      `in \`other\`; install Netdata's (Debian: package netdata-core) or write your own`,
  );
  return { file: undefined, groups: [], rules: [], groupOf: groupMatcher([]), warnings };
};
