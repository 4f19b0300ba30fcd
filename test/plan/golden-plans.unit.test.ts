// SPDX-License-Identifier: GPL-3.0-or-later
// The plan of every recorded kernel, in every mode x `ebpf co-re tracing` value x backend, against its golden file.
// Refresh with UPDATE_GOLDEN=1 after checking each changed choice against the kernel facts.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import test from 'ava';
import { goldenPlans, kernelFixtureNames, loadKernelFixtures } from './kernel-fixtures.js';

const goldenDir = new URL('../golden/plans/', import.meta.url);
const update = process.env['UPDATE_GOLDEN'] === '1';

for (const fixture of await loadKernelFixtures()) {
  test(`plans for ${fixture.name} match test/golden/plans/${fixture.name}.json`, async (t) => {
    const path = new URL(`${fixture.name}.json`, goldenDir);
    const expected = goldenPlans(fixture);
    if (update) await writeFile(path, `${JSON.stringify(expected, null, 2)}\n`);
    const golden: unknown = JSON.parse(
      await readFile(path, 'utf8').catch(() => {
        throw new Error(`No golden file ${path.pathname}: run UPDATE_GOLDEN=1 npx ava test/plan/golden-plans.unit.test.ts and review it`);
      }),
    );
    t.deepEqual(golden, expected);
  });
}

test('every golden plan file belongs to a kernel fixture', async (t) => {
  const golden = (await readdir(goldenDir))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -5))
    .sort();
  t.deepEqual(golden, await kernelFixtureNames());
});
