// SPDX-License-Identifier: GPL-3.0-or-later
// Every file and function a comment names exists: a comment that points a reader at a module or a function
// misleads once either is renamed or removed. Comments of the project's source (src/, bench/, bpf-fallback/,
// test/, scripts/). A path is the project's when it is TypeScript or JavaScript, or starts with a top folder of
// the repository (the kernel's and Netdata's files that comments cite are C and shell, in folders of their own);
// it is found from the repository's root, from src/, beside the file, or as the end of a path in the repository
// (`probe-expr.ts`). dist/ and .output/ are built, not kept. A function (`name()`) is found when its name is
// in some source's code (not only in comments), or is a name from outside the project listed below.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/run-plugin.js';

const roots = ['src', 'bench', 'bpf-fallback', 'test', 'scripts'];
const sourceFile = /\.(ts|mjs|js|c|h)$/;
const skipped = new Set(['node_modules', '.git', 'dist', '.output', 'bin', 'output', 'results']);
const built = /^(dist|\.output|bpf-fallback\/\.output)\//;

const walk = (dir: string): string[] =>
  readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : walk(relative);
    return [relative];
  });
const topFolders = readdirSync(repoRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !skipped.has(entry.name))
  .map((entry) => entry.name);
const repoFiles = topFolders.flatMap(walk).concat(readdirSync(repoRoot).filter((name) => !topFolders.includes(name)));
const sources = repoFiles.filter((file) => sourceFile.test(file) && roots.some((root) => file.startsWith(`${root}/`)));

interface Split {
  readonly comments: { line: number; text: string }[];
  readonly code: string;
}

// Comments (`// …`, `/* … */`) apart from code, skipping quoted strings, regular expressions aside: a `//` in
// a regex literal is rare enough in this code that the lexer below need not know regexes.
const split = (text: string): Split => {
  const comments: { line: number; text: string }[] = [];
  let code = '';
  let line = 1;
  for (let i = 0; i < text.length; ) {
    const two = text.slice(i, i + 2);
    if (two === '//' || two === '/*') {
      const end = two === '//' ? text.indexOf('\n', i) : text.indexOf('*/', i) + 2;
      const stop = end <= 1 ? text.length : end;
      comments.push({ line, text: text.slice(i, stop) });
      line += (text.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop;
    } else if (text[i] === '"' || text[i] === "'" || text[i] === '`') {
      const quote = text[i]!;
      let j = i + 1;
      while (j < text.length && text[j] !== quote && !(quote !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      code += text.slice(i, j + 1);
      line += (text.slice(i, j + 1).match(/\n/g) ?? []).length;
      i = j + 1;
    } else {
      if (text[i] === '\n') line += 1;
      code += text[i];
      i += 1;
    }
  }
  return { comments, code };
};

const parsed = new Map(sources.map((file) => [file, split(readFileSync(path.join(repoRoot, file), 'utf8'))]));
const codeNames = new Set([...parsed.values()].flatMap(({ code }) => code.match(/[A-Za-z_$][\w$]*/g) ?? []));

// Functions from outside the project that comments name without the project's code calling them.
const outside = new Set<string>(['str' /* bpftrace's */]);

// A path with a folder or a file name with a source extension, not part of a longer path, URL or absolute path.
const pathReference = /(?<![\w.$/@-])((?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.(?:ts|mjs|js|c|h|md|json|sh|bt))(?![\w/-])/g;
const functionReference = /(?<![\w$.])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\(\)/g;

const ours = (reference: string): boolean =>
  !built.test(reference) && (/\.(ts|mjs|js)$/.test(reference) || topFolders.includes(reference.split('/')[0]!));

// A built JavaScript file is found by the TypeScript it is built from (src/cli.ts for dist/cli.js).
const pathExists = (reference: string, from: string): boolean =>
  [reference, reference.replace(/\.js$/, '.ts')].some((name) => {
    const candidates = [name, path.join('src', name), path.join(path.dirname(from), name)].map((file) => path.normalize(file));
    return candidates.some((file) => repoFiles.includes(file)) || repoFiles.some((file) => file.endsWith(`/${name}`));
  });

const references = [...parsed].flatMap(([file, { comments }]) =>
  comments.flatMap(({ line, text }) => [
    ...[...text.matchAll(pathReference)].map((match) => ({ file, line, kind: 'path' as const, name: match[1]! })),
    ...[...text.matchAll(functionReference)].map((match) => ({ file, line, kind: 'function' as const, name: match[1]! })),
  ]),
);

test('every file a comment names exists', (t) => {
  const missing = references.filter(({ kind, name, file }) => kind === 'path' && ours(name) && !pathExists(name, file));
  t.deepEqual(
    missing.map(({ file, line, name }) => `${file}:${line}: ${name}`),
    [],
  );
});

test('every function a comment names is in the code, or named in this test as from outside the project', (t) => {
  const missing = references.filter(({ kind, name }) => {
    const last = name.split('.').at(-1)!;
    return kind === 'function' && !codeNames.has(last) && !outside.has(name);
  });
  t.deepEqual(
    missing.map(({ file, line, name }) => `${file}:${line}: ${name}()`),
    [],
  );
});
