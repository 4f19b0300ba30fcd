// SPDX-License-Identifier: GPL-3.0-or-later
// Gather the map lines of one interval into a sample, complete at the `sample` marker. Samples carry the
// backend's running totals per counter.
import { isCounterId, totalOf, type CounterId } from '../plan/counters.js';
import type { HelperEvent } from './helper-events.js';
import { sampleMarker } from './markers.js';
import type { OutputRecord, ProgramStats } from './parse-line.js';

export type Sample = ReadonlyMap<CounterId, bigint>;

export interface AssemblerEvents {
  readonly onSample: (sample: Sample) => void;
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
  /** bpftrace <= 0.23 writes blank lines before its exit dump: what follows repeats totals, unmarked. */
  private inExitDump = false;

  constructor(private readonly events: AssemblerEvents) {}

  push(record: OutputRecord): void {
    switch (record.type) {
      case 'blank':
        this.inExitDump = true;
        this.pending.clear();
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
      case 'invalid':
        (this.events.onUnreadable ?? this.events.onProblem)?.(`unreadable backend output (${record.reason})`);
        return;
      case 'ignored':
        return;
    }
  }

  private take(name: string, value: bigint | null): void {
    if (this.inExitDump || value === null || !isCounterId(name)) return;
    // Our counters only count up from zero: a negative one is garbled output, not data.
    if (value < 0n) (this.events.onUnreadable ?? this.events.onProblem)?.(`negative total ${value} for ${name}`);
    else this.pending.set(name, value);
  }

  private complete(): void {
    // The exit dump has no marker: blank lines followed by one were stray, and sampling goes on.
    if (this.inExitDump) {
      this.inExitDump = false;
      (this.events.onUnreadable ?? this.events.onProblem)?.('blank line in the middle of the output; one sample dropped');
    } else this.events.onSample(this.pending);
    this.pending = new Map();
  }
}
