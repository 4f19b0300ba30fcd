// SPDX-License-Identifier: GPL-3.0-or-later
// No hand-written line is wider than 140 columns, the width Biome formats to: Biome does not break strings or
// comments, and shell and C are not formatted at all. Fixtures, goldens and generated C are what they record.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';

const repo = new URL('../../', import.meta.url);
const maxColumns = 140;

/** The folders checked, each with the file names it holds by hand. */
const checked: readonly { readonly folder: string; readonly files: RegExp }[] = [
  { folder: 'src', files: /\.(ts|c|h)$/ },
  { folder: 'test', files: /\.(ts|js|mjs|sh|c)$/ },
  { folder: 'bench', files: /\.(ts|js|mjs|sh|c)$/ },
  { folder: 'scripts', files: /\.(ts|js|mjs|sh)$/ },
  { folder: 'bpf-fallback', files: /\.(c|h)$/ },
];

/** Fixtures and goldens record other programs' output; .output/ and *.gen.h are generated; node_modules is not ours. */
const skipped = /(^|\/)(fixtures|golden|\.output|node_modules|bin)(\/|$)|\.gen\.h$/;

const filesUnder = async (folder: string, files: RegExp): Promise<string[]> => {
  const entries = await readdir(new URL(`${folder}/`, repo), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && files.test(entry.name))
    .map((entry) => path.posix.join(path.relative(new URL(repo).pathname, entry.parentPath).split(path.sep).join('/'), entry.name))
    .filter((file) => !skipped.test(file))
    .sort();
};

/** Every line over the limit, as `file:line (columns)`. */
const longLines = (file: string, text: string): string[] =>
  text.split('\n').flatMap((line, index) => ([...line].length > maxColumns ? [`${file}:${index + 1} (${[...line].length} columns)`] : []));

test(`no hand-written line in src/, test/, bench/, scripts/ or bpf-fallback/ is over ${maxColumns} columns`, async (t) => {
  const files = (await Promise.all(checked.map(({ folder, files: names }) => filesUnder(folder, names)))).flat();
  t.true(files.includes('src/cli.ts') && files.includes('bpf-fallback/helper.c'), `the walk found ${files.length} files`);
  const found = (await Promise.all(files.map(async (file) => longLines(file, await readFile(new URL(file, repo), 'utf8'))))).flat();
  t.deepEqual(found, [], `split these lines (strings with + or template pieces, comments wrapped):\n${found.join('\n')}`);
});

test('a line over the limit is named with its file, line and width; one at the limit is not', (t) => {
  const text = ['x'.repeat(maxColumns), 'short', 'y'.repeat(maxColumns + 1)].join('\n');
  t.deepEqual(longLines('src/a.ts', text), [`src/a.ts:3 (${maxColumns + 1} columns)`]);
});
