// SPDX-License-Identifier: GPL-3.0-or-later
// BEGIN/SET/END for one chart update.
import { chartType, type ChartDefinition } from '../charts/catalogue.js';

/** Netdata stores int64 collected values. */
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export const dataBlockLines = (
  chart: Pick<ChartDefinition<string>, 'id' | 'dimensions'>,
  values: ReadonlyMap<string, bigint>,
  microsecondsSinceLast: number | undefined,
  type: string = chartType,
): string[] => [
  `BEGIN ${type}.${chart.id}${microsecondsSinceLast === undefined ? '' : ` ${Math.max(1, Math.round(microsecondsSinceLast))}`}`,
  ...chart.dimensions.flatMap((dimension) => {
    const value = values.get(dimension.id);
    if (value === undefined) return [];
    const clamped = value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value;
    return [`SET ${dimension.id} = ${clamped}`];
  }),
  'END',
];
