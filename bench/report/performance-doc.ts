// SPDX-License-Identifier: GPL-3.0-or-later
// Puts the run's tables into docs/performance.md between two markers, keeping the written analysis
// around them; creates the file with just the tables when it does not exist yet. The reading of the run below
// the tables is written by hand; the reading it replaces moves to docs/performance-history.md.
import { readFile, writeFile } from 'node:fs/promises';

const begin = '<!-- bench results: written by `npm run bench`, do not edit by hand -->';
const end = '<!-- end of bench results -->';

export const writePerformanceDoc = async (path: string, tables: string): Promise<void> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = `# Performance\n\n${begin}\n${end}\n`;
  }
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path} lacks the bench markers; put them back around the results`);
  await writeFile(path, `${text.slice(0, from + begin.length)}\n\n${tables}\n\n${text.slice(to)}`);
};
