// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's generated C, byte for byte against test/golden/c/ (refresh with UPDATE_GOLDEN=1 and review the
// diff): each file bpf-fallback/Makefile generates, printed by the emitter it runs. The C depends on no kernel's
// facts (one CO-RE object runs on all), so one golden per file covers every fact set.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { repoRoot } from '../../helpers/run-plugin.js';

const goldenDir = path.join(repoRoot, 'test/golden/c');
const emitter = path.join(repoRoot, 'src/backend/helper/c-sources/emit.ts');
const update = process.env['UPDATE_GOLDEN'] === '1';

// The generated headers as the Makefile names them: `GENERATED := $(OUTPUT)/limits.gen.h ...`.
const generated = (): string[] => {
  const line = readFileSync(path.join(repoRoot, 'bpf-fallback/Makefile'), 'utf8').match(/^GENERATED := (.*)$/m)?.[1];
  if (!line) throw new Error('bpf-fallback/Makefile has no `GENERATED := ...` line: the test reads the generated files from it');
  return line.split(/\s+/).map((file) => path.basename(file));
};

for (const file of generated()) {
  test(`${file} matches test/golden/c/${file}`, async (t) => {
    // The emitter as make runs it (dist/emit-c-sources.js is its bundle), here from src/ through tsx: no build.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', emitter, file.replace(/\.gen\.h$/, '')], {
      cwd: repoRoot,
      maxBuffer: 16 << 20,
    });
    const golden = path.join(goldenDir, file);
    if (update) writeFileSync(golden, stdout);
    t.is(
      stdout,
      readFileSync(golden, 'utf8'),
      `the generated C drifted: review, then UPDATE_GOLDEN=1 npx ava ${path.relative(repoRoot, import.meta.filename)}`,
    );
  });
}

// A missing golden fails its file's test above; a golden the Makefile no longer generates fails here.
test('every golden in test/golden/c/ is a file the Makefile generates', (t) => {
  t.deepEqual(
    readdirSync(goldenDir).filter((file) => !generated().includes(file)),
    [],
  );
});
