// SPDX-License-Identifier: GPL-3.0-or-later
// docs/pipeline.md's import stack holds in src/: every import goes down it, and no files import each other in a
// cycle. The stack is read from the doc, so the rule is stated once; a made-up tree shows each failure is caught.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import ts from 'typescript';

const repo = new URL('../../', import.meta.url);

/** Rows of the stack, top first: each row's units, a folder (`cli/`), a root file (`cli.ts`) or the other root files (`*.ts`). */
const parseStack = (doc: string): string[][] => {
  const block = /## Which code may import which[\s\S]*?```text\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/pipeline.md has no ```text block under "## Which code may import which"');
  return block
    .trim()
    .split('\n')
    .map((line) => line.split(/\s{2,}/)[0]!.split(' '));
};

/** The unit of the stack a file of src/ belongs to. */
const unitOf = (file: string, rows: readonly string[][]): string => {
  const [first, ...rest] = file.split('/');
  if (rest.length) return `${first}/`;
  return rows.some((row) => row.includes(first!)) ? first! : '*.ts';
};

/** Relative imports of one file, as src/-relative paths of .ts files. */
const importsOf = (file: string, text: string): string[] =>
  ts
    .preProcessFile(text, true, true)
    .importedFiles.map(({ fileName }) => fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.posix.normalize(path.posix.join(path.posix.dirname(file), name)).replace(/\.js$/, '.ts'));

/** Every broken rule, one sentence each: an import up or across the stack, a folder it lacks, a cycle of files. */
const importProblems = (files: ReadonlyMap<string, string>, rows: readonly string[][]): string[] => {
  const rank = new Map(rows.flatMap((row, index) => row.map((unit) => [unit, rows.length - index] as const)));
  const problems: string[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const from = unitOf(file, rows);
    if (!rank.has(from)) problems.push(`src/${file}: ${from} is not in docs/pipeline.md's import stack; add it where its imports put it`);
    const targets = importsOf(file, text);
    graph.set(
      file,
      targets.filter((target) => files.has(target)),
    );
    for (const target of targets) {
      if (!files.has(target)) {
        if (!target.startsWith('..')) problems.push(`src/${file} imports src/${target}, which does not exist`);
        continue;
      }
      const to = unitOf(target, rows);
      if (from === to || !rank.has(from) || !rank.has(to)) continue;
      const [a, b] = [rank.get(from)!, rank.get(to)!];
      if (b >= a) {
        problems.push(
          `src/${file} imports src/${target}: ${from} may import only what is below it in docs/pipeline.md's ` +
            `import stack, and ${to} is ${b === a ? 'on its line' : 'above it'}`,
        );
      }
    }
  }
  // A cycle: depth-first, a file met again while still on the path closes one.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]): void => {
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = [...trail.slice(trail.indexOf(next)), file, next];
        problems.push(`import cycle: ${cycle.map((each) => `src/${each}`).join(' -> ')}`);
      } else if (!state.has(next)) visit(next, [...trail, file]);
    }
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file, []);
  return problems;
};

const sourceFiles = async (): Promise<Map<string, string>> => {
  const src = new URL('src/', repo);
  const names = (await readdir(src, { recursive: true })).filter((name) => name.endsWith('.ts')).sort();
  const read = async (name: string) => [name.split(path.sep).join('/'), await readFile(new URL(name, src), 'utf8')] as const;
  return new Map(await Promise.all(names.map(read)));
};

const stack = async (): Promise<string[][]> => parseStack(await readFile(new URL('docs/pipeline.md', repo), 'utf8'));

test('every import in src/ goes down the stack of docs/pipeline.md, and no files import each other', async (t) => {
  const [files, rows] = [await sourceFiles(), await stack()];
  t.true(files.size > 100, `only ${files.size} files read from src/`);
  t.deepEqual(importProblems(files, rows), []);
});

test('the check names an import up, one across a line, a folder left out and a cycle', async (t) => {
  const rows = [['cli/'], ['plugin/', 'selftest/'], ['plan/'], ['*.ts']];
  const files = new Map([
    ['plan/a.ts', "import { b } from './b.js';\nimport { run } from '../plugin/run.js';"],
    ['plan/b.ts', "import type { A } from './a.js';\nimport { limit } from '../limits.js';"],
    ['plugin/run.ts', "import { check } from '../selftest/check.js';\nimport { a } from '../plan/a.js';"],
    ['selftest/check.ts', 'export const check = 1;'],
    ['cli/main.ts', "import { run } from '../plugin/run.js';\nimport { x } from '../extra/x.js';"],
    ['extra/x.ts', "import { a } from '../plan/a.js';"],
    ['limits.ts', "import { z } from 'zod';"],
  ]);
  t.deepEqual(importProblems(files, rows).sort(), [
    'import cycle: src/plan/a.ts -> src/plan/b.ts -> src/plan/a.ts',
    'import cycle: src/plugin/run.ts -> src/plan/a.ts -> src/plugin/run.ts',
    "src/extra/x.ts: extra/ is not in docs/pipeline.md's import stack; add it where its imports put it",
    "src/plan/a.ts imports src/plugin/run.ts: plan/ may import only what is below it in docs/pipeline.md's import stack, " +
      'and plugin/ is above it',
    "src/plugin/run.ts imports src/selftest/check.ts: plugin/ may import only what is below it in docs/pipeline.md's import stack, " +
      'and selftest/ is on its line',
  ]);
});

test('the stack in docs/pipeline.md lists every folder of src/ once', async (t) => {
  const rows = await stack();
  const units = rows.flat();
  const entries = await readdir(new URL('src/', repo), { withFileTypes: true });
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => `${entry.name}/`);
  t.deepEqual(
    folders.filter((folder) => !units.includes(folder)),
    [],
    'folders of src/ missing from the stack',
  );
  t.deepEqual(
    units.filter((unit, index) => units.indexOf(unit) !== index),
    [],
    'units listed twice',
  );
});
