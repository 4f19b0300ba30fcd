// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's chart id rules, as cgroups.plugin applies them to cgroup names (libnetdata netdata_fix_chart_id,
// then cgroups.plugin's substitute_dots_in_id): per byte, ASCII letters lowercased, digits, '-' and '_' kept,
// ',' becomes '.', everything else (non-ASCII bytes too) '_'; finally every '.' becomes '-' (a dot separates
// type and id in streaming). The result has only [a-z0-9_-], so it is safe bare in plugins.d lines.

/** cgroup-name.sh cuts names at 100 characters; 200 bytes leave room for the `cgroup_` prefix and chart ids. */
const maxLength = 200;

const fixedByte = (byte: number): string => {
  const char = String.fromCharCode(byte);
  if (/[a-z0-9._-]/.test(char)) return char;
  if (/[A-Z]/.test(char)) return char.toLowerCase();
  return char === ',' ? '.' : '_';
};

/** netdata_fix_chart_id alone (dots kept): what cgroups.plugin hands its naming script. */
export const fixChartId = (text: string): string => [...Buffer.from(text, 'utf8')].map(fixedByte).join('');

/** Like cgroup_chart_id_strdupz plus substitute_dots_in_id: an empty name is treated as "/", which becomes "_". */
export const netdataChartId = (text: string): string =>
  fixChartId(text || '/')
    .replace(/\./g, '-')
    .slice(0, maxLength);
