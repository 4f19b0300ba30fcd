// SPDX-License-Identifier: GPL-3.0-or-later
// BEGIN/SET/END for one chart update.
import { chartType, type ChartDefinition, type DimensionDefinition } from '../charts/catalogue.js';
import { ProtocolBytes } from './protocol-bytes.js';

/** Netdata stores int64 collected values. */
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

type ChartShape<D> = Pick<ChartDefinition<string>, 'id'> & { readonly dimensions: readonly D[] };

/** The end of every BEGIN line of one update, encoded once for all charts: the microseconds since the last
 *  update (nothing for the first). */
export const sinceLastBytes = (microsecondsSinceLast: number | undefined): Buffer =>
  Buffer.from(microsecondsSinceLast === undefined ? '' : ` ${Math.max(1, Math.round(microsecondsSinceLast))}`);

const setText = (set: string, value: bigint | undefined): string =>
  (value === undefined ? '' : `${set}${value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value}`);

/**
 * A chart's data block with its fixed text encoded once: the per-cgroup charts are written by the thousand every
 * update. `valueOf` gives a dimension's value; undefined leaves it out (a gap in Netdata, not a 0). The SET lines
 * are made again only when a value changed: most cgroups are idle, and their charts repeat the last update's.
 */
export const dataBlockWriter = <D extends Pick<DimensionDefinition<string>, 'id'>>(chart: ChartShape<D>, type: string = chartType) => {
  const begin = Buffer.from(`BEGIN ${type}.${chart.id}`);
  const sets = chart.dimensions.map((dimension) => `\nSET ${dimension.id} = `);
  const last: (bigint | undefined)[] = chart.dimensions.map(() => undefined);
  let afterBegin = Buffer.from('\nEND\n');
  return (valueOf: (dimension: D) => bigint | undefined, sinceLast: Uint8Array, into: ProtocolBytes): void => {
    let changed = false;
    for (let index = 0; index < sets.length; index++) {
      const value = valueOf(chart.dimensions[index]!);
      if (value !== last[index]) {
        last[index] = value;
        changed = true;
      }
    }
    if (changed) {
      let text = '';
      for (let index = 0; index < sets.length; index++) text += setText(sets[index]!, last[index]);
      afterBegin = Buffer.from(`${text}\nEND\n`);
    }
    into.bytes(begin);
    into.bytes(sinceLast);
    into.bytes(afterBegin);
  };
};

export const dataBlockLines = (
  chart: Pick<ChartDefinition<string>, 'id' | 'dimensions'>,
  values: ReadonlyMap<string, bigint>,
  microsecondsSinceLast: number | undefined,
  type: string = chartType,
): string[] => {
  const block = new ProtocolBytes(256);
  dataBlockWriter(chart, type)((dimension) => values.get(dimension.id), sinceLastBytes(microsecondsSinceLast), block);
  return block.take().toString().slice(0, -1).split('\n');
};
