// SPDX-License-Identifier: GPL-3.0-or-later
// BEGIN/SET/END for one chart update.
import { chartType, type ChartDefinition, type DimensionDefinition } from '../charts/catalogue.js';
import type { ProtocolBytes } from './protocol-bytes.js';

/** Netdata stores int64 collected values. */
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

type ChartShape<D> = Pick<ChartDefinition<string>, 'id'> & { readonly dimensions: readonly D[] };

// The end of a BEGIN line: the microseconds since the last update (nothing for the first).
const sinceLastText = (microsecondsSinceLast: number | undefined): string =>
  (microsecondsSinceLast === undefined ? '' : ` ${Math.max(1, Math.round(microsecondsSinceLast))}`);

/** The end of every BEGIN line of one update, encoded once for all the per-cgroup charts. */
export const sinceLastBytes = (microsecondsSinceLast: number | undefined): Buffer => Buffer.from(sinceLastText(microsecondsSinceLast));

const setLine = (dimensionId: string, value: bigint): string =>
  `SET ${dimensionId} = ${value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value}`;

/**
 * A chart's data block with its fixed text encoded once: the per-cgroup charts are written by the thousand every
 * update. `valueOf` gives a dimension's value; undefined leaves it out (a gap in Netdata, not a 0). The SET lines
 * are made again only when a value changed: most cgroups are idle, and their charts repeat the last update's.
 */
export const dataBlockWriter = <D extends Pick<DimensionDefinition<string>, 'id'>>(chart: ChartShape<D>, type: string = chartType) => {
  const begin = Buffer.from(`BEGIN ${type}.${chart.id}`);
  const last: (bigint | undefined)[] = chart.dimensions.map(() => undefined);
  let afterBegin = Buffer.from('\nEND\n');
  return (valueOf: (dimension: D) => bigint | undefined, sinceLast: Uint8Array, into: ProtocolBytes): void => {
    let changed = false;
    for (let index = 0; index < chart.dimensions.length; index++) {
      const value = valueOf(chart.dimensions[index]!);
      if (value !== last[index]) {
        last[index] = value;
        changed = true;
      }
    }
    if (changed) {
      let text = '';
      for (let index = 0; index < chart.dimensions.length; index++) {
        const value = last[index];
        if (value !== undefined) text += `\n${setLine(chart.dimensions[index]!.id, value)}`;
      }
      afterBegin = Buffer.from(`${text}\nEND\n`);
    }
    into.bytes(begin);
    into.bytes(sinceLast);
    into.bytes(afterBegin);
  };
};

/** One update of a chart as lines: the host's and the apps' charts, a few dozen per update, made as text. */
export const dataBlockLines = (
  chart: Pick<ChartDefinition<string>, 'id' | 'dimensions'>,
  values: ReadonlyMap<string, bigint>,
  microsecondsSinceLast: number | undefined,
  type: string = chartType,
): string[] => [
  `BEGIN ${type}.${chart.id}${sinceLastText(microsecondsSinceLast)}`,
  ...chart.dimensions.flatMap((dimension) => {
    const value = values.get(dimension.id);
    return value === undefined ? [] : [setLine(dimension.id, value)];
  }),
  'END',
];
