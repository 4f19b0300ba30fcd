// SPDX-License-Identifier: GPL-3.0-or-later
// Gather the map lines of one interval into a sample, complete at the `sample` marker. Samples carry the
// backend's running totals per counter.
import { parseKeyedMapName, seenKeys, unkeyedKeys, type CounterKey } from '../plan/counter-keys.js';
import { eventCounters, isCounterId, totalOf, type CounterId } from '../plan/counters.js';
import type { HelperEvent } from './helper-events.js';
import { sampleMarker } from '../backend/markers.js';
import type { OutputRecord, ProgramStats } from './parse-line.js';

export type Sample = ReadonlyMap<CounterId, bigint>;

/** The interval's totals per key (src/plan/counter-keys.ts): key kind → key value → counter → total. */
export type KeyedSample = ReadonlyMap<CounterKey, ReadonlyMap<string, Sample>>;

/** Per key table, the events of this backend run so far that its key's table was too full to count (a running total). */
export type UnkeyedEvents = ReadonlyMap<CounterKey, bigint>;

export interface AssemblerEvents {
  /** `keyed`: the same interval's totals per cgroup and per command name, when the plan keeps them; `unkeyed`: the
   *  events no key got, per table. */
  readonly onSample: (sample: Sample, keyed: KeyedSample, unkeyed: UnkeyedEvents) => void;
  readonly onAttached?: (probes: number) => void;
  readonly onLost?: (events: number) => void;
  /** The helper's typed events (attach failures and the like: helper-events.ts). */
  readonly onEvent?: (event: HelperEvent) => void;
  /** Self monitoring: the backend's programs' run-time statistics, printed before the sample they belong to. */
  readonly onProgramStats?: (programs: readonly ProgramStats[]) => void;
  readonly onProblem?: (message: string) => void;
  /** A line that is not backend output at all (the plugin counts these as parse errors). */
  readonly onUnreadable?: (message: string) => void;
}

export class SampleAssembler {
  private pending = new Map<CounterId, bigint>();
  private pendingKeyed = new Map<CounterKey, Map<string, Map<CounterId, bigint>>>();
  private readonly unkeyed = new Map<CounterKey, bigint>();
  /** bpftrace <= 0.23 writes blank lines before its exit dump: what follows repeats totals, unmarked. */
  private inExitDump = false;

  /** keyedEventLines: the lines of a bpftrace script that count an event per key, with the key: a full map's failed
   *  update there is one event its table did not count. */
  constructor(
    private readonly events: AssemblerEvents,
    private readonly keyedEventLines: ReadonlyMap<number, CounterKey> = new Map(),
  ) {}

  push(record: OutputRecord): void {
    switch (record.type) {
      case 'blank':
        this.inExitDump = true;
        this.pending.clear();
        this.pendingKeyed.clear();
        return;
      case 'keyed':
        this.takeKeyed(record.name, record.entries, record.totals);
        return;
      case 'map':
        this.take(record.name, record.value);
        return;
      case 'stats': {
        // A stats() map named after a count: its count is that counter, its total the counter totalOf names.
        const total = isCounterId(record.name) ? totalOf[record.name] : undefined;
        if (!total) return;
        this.take(record.name, record.count);
        this.take(total, record.total);
        return;
      }
      case 'ready':
        // Every probe is attached and nothing printed yet: a sample of no maps, so that the plugin sends
        // its first data now rather than one interval later (counters not yet printed count as 0).
        this.complete();
        return;
      case 'printf':
        if (record.text !== sampleMarker) return;
        this.complete();
        return;
      case 'attached':
        this.events.onAttached?.(record.probes);
        return;
      case 'lost':
        this.events.onLost?.(record.events);
        return;
      case 'event':
        this.events.onEvent?.(record.event);
        return;
      case 'prog_stats':
        if (!this.inExitDump) this.events.onProgramStats?.(record.programs);
        return;
      case 'error':
        this.events.onProblem?.(`backend reported ${record.message}`);
        return;
      case 'map_full': {
        // A full map's other updates (bytes, errors, the filter's own maps) are not events of their own.
        const key = this.keyedEventLines.get(record.line);
        if (key) this.unkeyed.set(key, (this.unkeyed.get(key) ?? 0n) + 1n);
        return;
      }
      case 'invalid':
        (this.events.onUnreadable ?? this.events.onProblem)?.(`unreadable backend output (${record.reason})`);
        return;
      case 'ignored':
      case 'absent_key_deleted':
        return;
    }
  }

  private take(name: string, value: bigint | null): void {
    if (this.inExitDump || value === null || !isCounterId(name)) return;
    // Our counters only count up from zero: a negative one is garbled output, not data.
    if (value < 0n) (this.events.onUnreadable ?? this.events.onProblem)?.(`negative total ${value} for ${name}`);
    else this.pending.set(name, value);
  }

  // `read__cgroup` holds read per cgroup; a keyed stats() map also read_bytes, as its total.
  private takeKeyed(name: string, entries: ReadonlyMap<string, bigint>, totals: ReadonlyMap<string, bigint> | undefined): void {
    const map = parseKeyedMapName(name);
    if (this.inExitDump || !map) return;
    // The helper's running totals of what the table could not hold, per counter: their events.
    if (map.counter === unkeyedKeys) {
      this.unkeyed.set(
        map.key,
        eventCounters.reduce((sum, counter) => sum + (entries.get(counter) ?? 0n), 0n),
      );
      return;
    }
    if (!(isCounterId(map.counter) || map.counter === seenKeys)) return;
    const byValue = this.pendingKeyed.get(map.key) ?? new Map<string, Map<CounterId, bigint>>();
    this.pendingKeyed.set(map.key, byValue);
    if (map.counter === seenKeys) {
      for (const value of entries.keys()) if (!byValue.has(value)) byValue.set(value, new Map());
      return;
    }
    const total = totals && totalOf[map.counter];
    const put = (counter: CounterId, values: ReadonlyMap<string, bigint>): void => {
      for (const [value, amount] of values) {
        const counters = byValue.get(value) ?? new Map<CounterId, bigint>();
        byValue.set(value, counters.set(counter, amount));
      }
    };
    put(map.counter, entries);
    if (total && totals) put(total, totals);
  }

  private complete(): void {
    // The exit dump has no marker: blank lines followed by one were stray, and sampling goes on.
    if (this.inExitDump) {
      this.inExitDump = false;
      (this.events.onUnreadable ?? this.events.onProblem)?.('blank line in the middle of the output; one sample dropped');
    } else this.events.onSample(this.pending, this.pendingKeyed, new Map(this.unkeyed));
    this.pending = new Map();
    this.pendingKeyed = new Map();
  }
}
