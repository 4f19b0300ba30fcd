// SPDX-License-Identifier: GPL-3.0-or-later
// BEGIN/SET/END for one chart update.
import { chartType, type ChartDefinition, type DimensionDefinition } from '../charts/catalogue.js';

/** Netdata stores int64 collected values. */
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

type ChartShape<D> = Pick<ChartDefinition<string>, 'id'> & { readonly dimensions: readonly D[] };

/**
 * A chart's data block with its fixed text made once: the per-cgroup charts are written by the thousand every
 * update. `valueOf` gives a dimension's value; undefined leaves it out (a gap in Netdata, not a 0).
 */
export const dataBlockWriter = <D extends Pick<DimensionDefinition<string>, 'id'>>(chart: ChartShape<D>, type: string = chartType) => {
  const begin = `BEGIN ${type}.${chart.id}`;
  const sets = chart.dimensions.map((dimension) => [dimension, `\nSET ${dimension.id} = `] as const);
  return (valueOf: (dimension: D) => bigint | undefined, microsecondsSinceLast: number | undefined): string => {
    let text = microsecondsSinceLast === undefined ? begin : `${begin} ${Math.max(1, Math.round(microsecondsSinceLast))}`;
    for (const [dimension, set] of sets) {
      const value = valueOf(dimension);
      if (value !== undefined) text += `${set}${value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value}`;
    }
    return `${text}\nEND`;
  };
};

export const dataBlockLines = (
  chart: Pick<ChartDefinition<string>, 'id' | 'dimensions'>,
  values: ReadonlyMap<string, bigint>,
  microsecondsSinceLast: number | undefined,
  type: string = chartType,
): string[] => dataBlockWriter(chart, type)((dimension) => values.get(dimension.id), microsecondsSinceLast).split('\n');
