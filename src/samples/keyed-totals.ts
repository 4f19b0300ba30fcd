// SPDX-License-Identifier: GPL-3.0-or-later
// The per-key totals the plugin keeps itself, like the host's (totals.ts): monotonic across backend restarts, and
// a key's totals kept until the plugin is told the key is gone (a removed cgroup), since the kernel forgets it.
import type { CounterKey } from '../plan/counter-keys.js';
import type { KeyedSample } from './sample-assembler.js';
import { Totals, type Regression } from './totals.js';

export class KeyedTotals {
  private readonly byKey = new Map<CounterKey, Map<string, Totals>>();

  startRun(): void {
    for (const values of this.byKey.values()) for (const totals of values.values()) totals.startRun();
  }

  update(sample: KeyedSample): (Regression & { readonly key: string })[] {
    const regressions: (Regression & { readonly key: string })[] = [];
    for (const [key, values] of sample) {
      const known = this.byKey.get(key) ?? new Map<string, Totals>();
      this.byKey.set(key, known);
      for (const [value, counters] of values) {
        const totals = known.get(value) ?? new Totals();
        known.set(value, totals);
        // Thousands of values a sample: nothing made for the many that went back nowhere.
        const wentBack = totals.update(counters);
        for (const regression of wentBack) regressions.push({ ...regression, key: `${key} ${value}` });
      }
    }
    return regressions;
  }

  forget(key: CounterKey, value: string): void {
    this.byKey.get(key)?.delete(value);
  }

  /** Every value of a key (a cgroup id, a command name) with its running totals. */
  valuesOf(key: CounterKey): ReadonlyMap<string, Pick<Totals, 'get' | 'version' | 'changed'>> {
    return this.byKey.get(key) ?? new Map();
  }
}
