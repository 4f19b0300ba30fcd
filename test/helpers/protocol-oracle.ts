// SPDX-License-Identifier: GPL-3.0-or-later
// Replays a plugin's stdout the way Netdata's parser would, failing on anything Netdata would reject.
import { tokenize } from './netdata-tokenizer.js';

export interface ParsedChart {
  readonly words: string[];
  readonly dimensions: Map<string, string[]>;
  readonly labels: Map<string, string>;
  /** Every committed update: dimension id -> value. */
  readonly updates: Array<{ microseconds: number | undefined; values: Map<string, bigint> }>;
}

export const replayProtocol = (text: string): Map<string, ParsedChart> => {
  const charts = new Map<string, ParsedChart>();
  let defining: ParsedChart | undefined;
  let updating: { chart: ParsedChart; microseconds: number | undefined; values: Map<string, bigint> } | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (Buffer.byteLength(line) > 1024) throw new Error(`line over 1024 bytes: ${line}`);
    const [command, ...words] = tokenize(line);
    switch (command) {
      case 'CHART': {
        // type.id: ebpf.*, and the per-cgroup (cgroup_<name>.*, services.*) and per-application (apps.*) charts.
        if (!/^[a-z][\w-]*(\.[\w-]+)?\.[a-z_]+$/.test(words[0] ?? '')) throw new Error(`bad chart id: ${line}`);
        defining = charts.get(words[0]!) ?? { words, dimensions: new Map(), labels: new Map(), updates: [] };
        charts.set(words[0]!, { ...defining, words });
        defining = charts.get(words[0]!);
        break;
      }
      case 'DIMENSION':
        if (!defining) throw new Error(`DIMENSION without CHART: ${line}`);
        if (!['absolute', 'incremental'].includes(words[2] ?? '')) throw new Error(`bad algorithm: ${line}`);
        if (!/^-?\d+$/.test(words[3] ?? '') || !/^\d+$/.test(words[4] ?? '')) throw new Error(`bad multiplier/divisor: ${line}`);
        defining.dimensions.set(words[0]!, words);
        break;
      case 'CLABEL':
        if (!defining || words.length !== 3 || words[2] !== '1') throw new Error(`bad CLABEL: ${line}`);
        defining.labels.set(words[0]!, words[1]!);
        break;
      case 'CLABEL_COMMIT':
        if (!defining) throw new Error('CLABEL_COMMIT without CHART');
        break;
      case 'BEGIN': {
        const chart = charts.get(words[0] ?? '');
        if (!chart) throw new Error(`BEGIN of unknown chart: ${line}`);
        if (updating) throw new Error(`BEGIN inside BEGIN: ${line}`);
        if (words[1] !== undefined && !/^\d+$/.test(words[1])) throw new Error(`bad microseconds: ${line}`);
        updating = { chart, microseconds: words[1] === undefined ? undefined : Number(words[1]), values: new Map() };
        break;
      }
      case 'SET': {
        if (!updating) throw new Error(`SET outside BEGIN/END: ${line}`);
        if (!updating.chart.dimensions.has(words[0] ?? '')) throw new Error(`SET of unknown dimension: ${line}`);
        if (!/^-?\d+$/.test(words[1] ?? '')) throw new Error(`SET value is not an integer: ${line}`);
        updating.values.set(words[0]!, BigInt(words[1]!));
        break;
      }
      case 'END':
        if (!updating) throw new Error('END without BEGIN');
        updating.chart.updates.push({ microseconds: updating.microseconds, values: updating.values });
        updating = undefined;
        break;
      case 'DISABLE':
        break;
      default:
        throw new Error(`Netdata would reject this line: ${line}`);
    }
  }
  return charts;
};
