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

/** What a block's values are read from, as far as it can tell what changed: its version, and the counters whose
 *  values the change to that version moved (a cgroup's totals: src/samples/totals.ts). */
export interface ValuesStamp {
  readonly version: number;
  readonly changed: readonly string[];
}

/**
 * The data blocks of charts whose values change together (one cgroup's charts), kept as one encoded buffer from
 * update to update: the per-cgroup charts are written by the thousand every update, and most cgroups are idle.
 * Each value has a slot of fixed width in it, so that a changed value is written in place, and the buffer is made
 * again only when a dimension comes or goes (`valueOf` gave undefined: a gap in Netdata, not a 0, for a counter
 * the plan does not keep). `stamp` says what may have changed since the last write: nothing at the same version,
 * the dimensions of the changed counters one version on (at 500 busy cgroups, 2 of a cgroup's 11 charts, as a
 * workload reads), every value otherwise; undefined: every value is read every update. The BEGIN lines carry no
 * microseconds: Netdata times these charts by their arrival, in the burst that also brings the host's charts,
 * which carry them.
 */
export class ReadyBlocks<D extends Pick<DimensionDefinition<string>, 'id' | 'plus'>> {
  readonly #last: (bigint | undefined)[][];
  /** Per counter, the dimensions that add it, as [chart index, dimension index]. */
  readonly #byCounter = new Map<string, [number, number][]>();
  #buffer = Buffer.alloc(0);
  /** Where each value's slot starts in the buffer; -1 for a value left out. */
  #slots: number[][] = [];
  #version: number | undefined;
  #fresh = true;

  constructor(private readonly charts: readonly (ChartShape<D> & { readonly type: string })[]) {
    this.#last = charts.map((chart) => chart.dimensions.map(() => undefined));
    charts.forEach((chart, index) =>
      chart.dimensions.forEach((dimension, at) => {
        for (const counter of dimension.plus) {
          const placed = this.#byCounter.get(counter);
          if (placed) placed.push([index, at]);
          else this.#byCounter.set(counter, [[index, at]]);
        }
      }),
    );
  }

  write(valueOf: (dimension: D) => bigint | undefined, stamp: ValuesStamp | undefined, into: ProtocolBytes): void {
    const before = this.#version;
    this.#version = stamp?.version;
    if (this.#fresh || stamp === undefined || before === undefined) this.#readAll(valueOf);
    else if (stamp.version === before + 1) this.#readChanged(valueOf, stamp.changed);
    else if (stamp.version !== before) this.#readAll(valueOf);
    into.bytes(this.#buffer);
  }

  // Plain loops: thousands of dimensions an update.
  #readAll(valueOf: (dimension: D) => bigint | undefined): void {
    let layOut = this.#fresh;
    this.#fresh = false;
    for (let index = 0; index < this.charts.length; index++) {
      const { dimensions } = this.charts[index]!;
      for (let at = 0; at < dimensions.length; at++) if (this.#read(valueOf, index, at, layOut)) layOut = true;
    }
    if (layOut) this.#layOut();
  }

  #readChanged(valueOf: (dimension: D) => bigint | undefined, counters: readonly string[]): void {
    let layOut = false;
    for (let count = 0; count < counters.length; count++) {
      const placed = this.#byCounter.get(counters[count]!);
      if (placed)
        for (let each = 0; each < placed.length; each++) if (this.#read(valueOf, placed[each]![0], placed[each]![1], layOut)) layOut = true;
    }
    if (layOut) this.#layOut();
  }

  /** Reads one value, writing it in its slot unless the buffer is to be laid out again; true when it must be. */
  #read(valueOf: (dimension: D) => bigint | undefined, index: number, at: number, layOut: boolean): boolean {
    const last = this.#last[index]!;
    const value = valueOf(this.charts[index]!.dimensions[at]!);
    if (value === last[at]) return false;
    const gapChanged = value === undefined || last[at] === undefined;
    if (!gapChanged && !layOut) this.#buffer.write(int64Text(value).padStart(valueWidth), this.#slots[index]![at]!, 'latin1');
    last[at] = value;
    return gapChanged;
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
