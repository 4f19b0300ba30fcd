// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's counter slots, generated from src/plan/counters.ts: the BPF programs add to `slot[C_<ID>]` and
// report.c prints each slot under the counter's id, so a new counter needs no C edit.
import { counterIds, type CounterId } from '../../../plan/counters.js';

export const counterSlot = (counter: CounterId): string => `C_${counter.toUpperCase()}`;

export const countersHeader = (): string =>
  `${[
    '// Generated from src/plan/counters.ts by src/backend/helper/c-sources/counters-header.ts: do not edit.',
    `enum counter {\n${counterIds.map((counter) => `\t${counterSlot(counter)},`).join('\n')}\n\tCOUNTER_COUNT,\n};`,
    `#define COUNTER_NAMES { \\\n${counterIds.map((counter) => `\t[${counterSlot(counter)}] = "${counter}",`).join(' \\\n')} \\\n}`,
  ].join('\n\n')}\n`;
