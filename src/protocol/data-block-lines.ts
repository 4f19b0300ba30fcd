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
  microsecondsSinceLast === undefined ? '' : ` ${Math.max(1, Math.round(microsecondsSinceLast))}`;

const int64Text = (value: bigint): string => String(value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value);

/** Characters of a ready block's value slot: any int64, right-aligned in spaces (Netdata's tokenizer skips runs of them). */
const valueWidth = String(INT64_MIN).length;

/**
 * The data blocks of charts whose values change together (one cgroup's charts), kept as one encoded buffer from
 * update to update: the per-cgroup charts are written by the thousand every update, and most cgroups are idle.
 * Each value has a slot of fixed width in it, so that a changed value is written in place, and the buffer is made
 * again only when a dimension comes or goes (`valueOf` gave undefined: a gap in Netdata, not a 0, for a counter
 * the plan does not keep). `stamp` says whether the values may have changed since the last write (a cgroup's
 * totals' version); undefined: they are read every update. The BEGIN lines carry no microseconds: Netdata times
 * these charts by their arrival, in the burst that also brings the host's charts, which carry them.
 */
export class ReadyBlocks<D extends Pick<DimensionDefinition<string>, 'id'>> {
  readonly #last: (bigint | undefined)[][];
  #buffer = Buffer.alloc(0);
  /** Where each value's slot starts in the buffer; -1 for a value left out. */
  #slots: number[][] = [];
  #stamp: number | undefined;
  #fresh = true;

  constructor(private readonly charts: readonly (ChartShape<D> & { readonly type: string })[]) {
    this.#last = charts.map((chart) => chart.dimensions.map(() => undefined));
  }

  write(valueOf: (dimension: D) => bigint | undefined, stamp: number | undefined, into: ProtocolBytes): void {
    if (this.#fresh || stamp === undefined || stamp !== this.#stamp) this.#read(valueOf);
    this.#stamp = stamp;
    into.bytes(this.#buffer);
  }

  // Plain loops: thousands of dimensions an update.
  #read(valueOf: (dimension: D) => bigint | undefined): void {
    let layOut = this.#fresh;
    this.#fresh = false;
    for (let index = 0; index < this.charts.length; index++) {
      const { dimensions } = this.charts[index]!;
      const last = this.#last[index]!;
      for (let at = 0; at < dimensions.length; at++) {
        const value = valueOf(dimensions[at]!);
        if (value === last[at]) continue;
        if (value === undefined || last[at] === undefined) layOut = true;
        else if (!layOut) this.#buffer.write(int64Text(value).padStart(valueWidth), this.#slots[index]![at]!, 'latin1');
        last[at] = value;
      }
    }
    if (layOut) this.#layOut();
  }

  #layOut(): void {
    let text = '';
    this.#slots = this.charts.map((chart, index) => {
      text += `BEGIN ${chart.type}.${chart.id}\n`;
      const slots = chart.dimensions.map((dimension, at) => {
        const value = this.#last[index]![at];
        if (value === undefined) return -1;
        text += `SET ${dimension.id} = `;
        // Ids are ASCII (quote.ts' assertId), numbers too: a character is a byte.
        const slot = text.length;
        text += `${int64Text(value).padStart(valueWidth)}\n`;
        return slot;
      });
      text += 'END\n';
      return slots;
    });
    this.#buffer = Buffer.from(text, 'latin1');
  }
}

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
    return value === undefined ? [] : [`SET ${dimension.id} = ${int64Text(value)}`];
  }),
  'END',
];
