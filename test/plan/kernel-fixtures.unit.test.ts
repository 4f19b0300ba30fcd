// SPDX-License-Identifier: GPL-3.0-or-later
// Guards on the recorded kernel fact sets: each one loads, says where every fact came from, and names only what
// the gatherer would record. The fixture of this very host against a live gathering: test/kernel/gather.test.ts.
import test from 'ava';
import { kernelFactsSchema } from '../../src/kernel/facts.js';
import { catalogueSymbols, catalogueTracepoints } from '../../src/plan/catalogue.js';
import { loadKernelFixtures } from './kernel-fixtures.js';

const fixtures = await loadKernelFixtures();
const factNames = Object.keys(kernelFactsSchema.shape).filter((key) => key !== 'source' && key !== 'notes');

test('the kernels the issue asks for are all recorded', (t) => {
  const releases = fixtures.map((fixture) => `${fixture.facts.arch} ${/^\d+\.\d+/.exec(fixture.facts.release)?.[0]}`).sort();
  for (const wanted of [
    'x86_64 4.15',
    'x86_64 4.18',
    'x86_64 5.4',
    'x86_64 5.10',
    'x86_64 5.15',
    'x86_64 6.1',
    'x86_64 6.6',
    'x86_64 6.8',
    'aarch64 6.1',
  ]) {
    t.true(releases.includes(wanted), `no fixture for ${wanted}`);
  }
});

for (const { name, facts } of fixtures) {
  test(`${name} says where every fact came from`, (t) => {
    t.true(facts.source.length > 20, 'source is too short to name where the facts came from');
    // `trampoline` and `taskStorage` came later: a recording without them is unknown there, which needs no note.
    const noted = factNames.filter(
      (key) => !(key === 'trampoline' && facts.trampoline === 'unknown') && !(key === 'taskStorage' && facts.taskStorage === undefined),
    );
    t.deepEqual(
      noted.filter((key) => !facts.notes?.[key]),
      [],
      'facts without a note',
    );
  });

  test(`${name} lists only catalogue symbols and tracepoints, sorted`, (t) => {
    t.deepEqual(
      facts.symbols.filter((symbol) => !catalogueSymbols().includes(symbol)),
      [],
    );
    t.deepEqual(
      facts.tracepoints.filter((tracepoint) => !catalogueTracepoints().includes(tracepoint)),
      [],
    );
    t.deepEqual(facts.symbols, [...facts.symbols].sort());
    t.deepEqual(facts.tracepoints, [...facts.tracepoints].sort());
  });
}
