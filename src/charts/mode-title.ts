// SPDX-License-Identifier: GPL-3.0-or-later
// A chart's title as seen in a mode. Entry mode reads the byte count a read or write is given: the bytes asked
// for, which a short read or a failed write does not move; return mode's are the bytes transferred.
import type { Mode } from '../plan/counters.js';

export const bytesPerSecond = 'bytes/s';

export const titleInMode = (title: string, units: string, mode: Mode): string =>
  mode === 'entry' && units === bytesPerSecond ? `${title} (entry mode: asked for, not transferred)` : title;
