// SPDX-License-Identifier: GPL-3.0-or-later
// docs/attach-points.md carries tables generated from the recorded kernels' plans; they must match the planner.
import { readFile, writeFile } from 'node:fs/promises';
import test from 'ava';
import { renderTables, tableEnd, tableStart } from './attach-table.js';
import { loadKernelFixtures } from './kernel-fixtures.js';

const docPath = new URL('../../docs/attach-points.md', import.meta.url);

test('the tables in docs/attach-points.md match the plans of the recorded kernels', async (t) => {
  const doc = await readFile(docPath, 'utf8');
  const start = doc.indexOf(tableStart);
  const end = doc.indexOf(tableEnd);
  t.true(start >= 0 && end > start, 'docs/attach-points.md lost its generated-table markers');
  const tables = renderTables(await loadKernelFixtures());
  if (process.env['UPDATE_GOLDEN'] === '1') {
    await writeFile(docPath, `${doc.slice(0, start)}${tables}${doc.slice(end + tableEnd.length)}`);
  }
  const current = await readFile(docPath, 'utf8');
  t.is(current.slice(current.indexOf(tableStart), current.indexOf(tableEnd) + tableEnd.length), tables);
});
