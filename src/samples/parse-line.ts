// SPDX-License-Identifier: GPL-3.0-or-later
// One line of bpftrace `-f json` output (or the helper's, which prints the same shapes plus its own typed
// events) into a typed record. Shapes of every bpftrace version are accepted: docs/bpftrace-versions.md lists them.
import { z } from 'zod';
import { parseKeyedMapName } from '../plan/counter-keys.js';
import { helperEventSchema, type HelperEvent } from './helper-events.js';
import { scanKeyedMapLine } from './keyed-map-line.js';
import { attachedProbesType, probesAttachedMarker } from '../backend/markers.js';

/** One BPF program's run-time statistics (the helper's `prog_stats` lines, self monitoring). */
export interface ProgramStats {
  readonly id: number;
  /** Where it is attached, as `kind:target` ("tracepoint:syscalls:sys_enter_read", or without the
   *  subsystem for bpftrace's programs, which the kernel names by event only). */
  readonly attach: readonly string[];
  readonly runTimeNs: bigint;
  readonly runCount: bigint;
  /** Runs the kernel skipped (its recursion guard): events that happened and were not counted. */
  readonly skippedRuns: bigint;
}

/** A keyed map's entries (`@open__cgroup[cgroup]`): the key as printed (a cgroup id, a command name), its total. */
export type KeyedEntries = ReadonlyMap<string, bigint>;

export type OutputRecord =
  | { readonly type: 'map'; readonly name: string; readonly value: bigint | null }
  /** A map kept per key (src/plan/counter-keys.ts); a keyed stats() map gives its count and its total per key. */
  | { readonly type: 'keyed'; readonly name: string; readonly entries: KeyedEntries; readonly totals?: KeyedEntries }
  | { readonly type: 'prog_stats'; readonly programs: readonly ProgramStats[] }
  /** A `stats()` map: how many values it took and their total (null: empty, no data). */
  | { readonly type: 'stats'; readonly name: string; readonly count: bigint | null; readonly total: bigint | null }
  | { readonly type: 'printf'; readonly text: string }
  | { readonly type: 'attached'; readonly probes: number }
  | { readonly type: 'ready' }
  | { readonly type: 'lost'; readonly events: number }
  | { readonly type: 'event'; readonly event: HelperEvent }
  | { readonly type: 'error'; readonly message: string }
  /** bpftrace could not add a key to a full map, at this line of its script (E2BIG from map_update_elem). */
  | { readonly type: 'map_full'; readonly line: number }
  /** bpftrace deleted a key that was not there: harmless (scripts without has_key do it by design). */
  | { readonly type: 'absent_key_deleted' }
  | { readonly type: 'blank' }
  | { readonly type: 'ignored'; readonly kind: string }
  | { readonly type: 'invalid'; readonly reason: string };

/** Longer lines are not ours: a runaway printf or a corrupted stream. A keyed map prints every key on one line:
 *  the largest table (keyTableEntries.max) of 40-byte entries fits. */
export const maxLineLength = 4 * 1024 * 1024;

// A total as the backends print it: a number, or its decimal text (above 2^53). One rule for every map and
// stats field, and for each entry of a keyed map, checked as keyedEntries reads it.
const isInteger = (value: unknown): value is number | string =>
  (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^-?\d+$/.test(value));
const integer = z.custom<number | string>(isInteger, 'expected an integer');
// A keyed map's value holds every key (hundreds of cgroups): checked as an object here, not copied entry by entry
// as z.record would; keyedEntries checks each entry as it reads it.
const keyedValues = z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value));
const countValue = z.union([integer, keyedValues]);
const mapLine = z.object({ type: z.literal('map'), data: z.record(z.string().startsWith('@'), countValue) });
// A stats map never written: no line on 0.17 and 0.23, zeros in 0.27's interval prints, `{}` in its exit
// dump (no data).
const statsFields = z.object({ count: integer, total: integer }).loose();
const statsValue = z.union([statsFields, z.object({}).strict()]);
const statsLine = z.object({
  type: z.literal('stats'),
  data: z.record(z.string().startsWith('@'), z.union([statsValue, z.record(z.string(), statsFields)])),
});
const printfLine = z.object({ type: z.literal('printf'), data: z.string() });
// 0.24+ adds a top-level `count`; `data` is kept in every version.
const attachedLine = z.object({ type: z.literal(attachedProbesType), data: z.object({ probes: z.number().int() }) });
// Run time and count are u64 in the kernel; a double keeps them to 1 ns in 2^53 (104 days of CPU), enough for rates.
const statsCount = z.number().int().nonnegative();
const progStatsLine = z.object({
  type: z.literal('prog_stats'),
  data: z
    .array(
      z.object({
        id: z.number().int().nonnegative(),
        attach: z.array(z.string().max(300)).max(8),
        run_time_ns: statsCount,
        run_cnt: statsCount,
        recursion_misses: statsCount,
      }),
    )
    .max(128),
});
const lostLine = z.object({ type: z.literal('lost_events'), data: z.object({ events: z.number().int().nonnegative() }) });
const errorLine = z.object({
  type: z.enum(['helper_error', 'runtime_error', 'errorf', 'warnf']),
  msg: z.string().optional(),
  helper: z.string().optional(),
  retcode: z.number().optional(),
  line: z.number().optional(),
  col: z.number().optional(),
});

// JSON.parse rounds integers above 2^53 that versions before 0.24 print bare: read the digits from the text
// (key: the map's name, or a field of a stats map; one map per line, so each key is there once).
const exactInteger = (raw: string, key: string, parsed: number): bigint | null => {
  if (Number.isSafeInteger(parsed)) return BigInt(parsed);
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The whole number must be digits: `1e300` is not a count.
  const digits = new RegExp(`"${escaped}"\\s*:\\s*(-?\\d+)\\s*[,}]`).exec(raw)?.[1];
  return digits ? BigInt(digits) : null;
};

const mapValue = (raw: string, key: string, value: z.infer<typeof countValue>): bigint | null => {
  if (typeof value === 'number') return Number.isInteger(value) ? exactInteger(raw, key, value) : null;
  if (typeof value === 'string') return BigInt(value);
  return null; // 0.24 prints an empty map as {}: no data, not an error
};

// A keyed map's name says so (`open__cgroup`); its value is an object of key → total. Thousands of entries a
// second at 500 cgroups: each is checked with isInteger directly, not through a schema.
const keyedEntries = (raw: string, value: Record<string, unknown>, field?: 'count' | 'total'): Map<string, bigint> | string => {
  const entries = new Map<string, bigint>();
  for (const key in value) {
    const entry = value[key];
    const total = field ? (typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)[field] : undefined) : entry;
    if (!isInteger(total)) return `keyed value of ${JSON.stringify(key).slice(0, 40)} is not an integer`;
    // Above 2^53 a map's value is read from the raw text by its key, unique in the line; a stats field is not.
    const exact = field && typeof total === 'number' && !Number.isSafeInteger(total) ? null : mapValue(raw, key, total);
    if (exact === null) return `keyed value of ${JSON.stringify(key).slice(0, 40)} is not exact`;
    entries.set(key, exact);
  }
  return entries;
};

const keyedRecord = (raw: string, name: string, value: Record<string, unknown>, stats: boolean): OutputRecord => {
  const entries = keyedEntries(raw, value, stats ? 'count' : undefined);
  const totals = stats ? keyedEntries(raw, value, 'total') : undefined;
  if (typeof entries === 'string') return { type: 'invalid', reason: `@${name}: ${entries}` };
  if (typeof totals === 'string') return { type: 'invalid', reason: `@${name}: ${totals}` };
  return { type: 'keyed', name, entries, ...(totals ? { totals } : {}) };
};

const describeError = (line: z.infer<typeof errorLine>): string =>
  [
    line.type,
    line.msg,
    line.helper && `helper ${line.helper}`,
    line.retcode !== undefined && `retcode ${line.retcode}`,
    line.line !== undefined && `at script line ${line.line}:${line.col ?? 0}`,
  ]
    .filter(Boolean)
    .join(', ');

// Errnos bpftrace's map helpers return (negated): a full map, and a delete of a key not there.
const tooBig = -7;
const noEntry = -2;

// A failed update of a full map is data (a table's uncounted event); a failed delete of a missing key is what a script
// without has_key (0.17) does by design, reported only under -k, which it runs with for the first.
const helperError = (line: z.infer<typeof errorLine>): OutputRecord => {
  if (line.type === 'helper_error' && line.helper === 'map_update_elem' && line.retcode === tooBig && line.line !== undefined)
    return { type: 'map_full', line: line.line };
  if (line.type === 'helper_error' && line.helper === 'map_delete_elem' && line.retcode === noEntry) return { type: 'absent_key_deleted' };
  return { type: 'error', message: describeError(line) };
};

const helperEvent = (json: object): OutputRecord => {
  const parsed = helperEventSchema.safeParse(json);
  if (parsed.success) return { type: 'event', event: parsed.data };
  const issue = parsed.error.issues[0];
  return { type: 'invalid', reason: `malformed helper event: ${issue ? `${issue.path.join('.') || 'event'}: ${issue.message}` : ''}` };
};

export const parseLine = (raw: string): OutputRecord[] => {
  if (raw.trim() === '') return [{ type: 'blank' }];
  if (raw === probesAttachedMarker) return [{ type: 'ready' }];
  if (raw.length > maxLineLength) return [{ type: 'invalid', reason: `line of ${raw.length} bytes exceeds ${maxLineLength}` }];
  // Keyed maps carry thousands of entries a second: read in one pass (keyed-map-line.ts); any other spelling below.
  const keyed = scanKeyedMapLine(raw);
  if (keyed && parseKeyedMapName(keyed.name)) return [{ type: 'keyed', name: keyed.name, entries: keyed.entries }];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return [{ type: 'invalid', reason: `not JSON: ${raw.slice(0, 80)}` }];
  }
  if (typeof json === 'object' && json !== null && 'event' in json && !('type' in json)) return [helperEvent(json)];
  const kind = typeof json === 'object' && json !== null && 'type' in json ? String(json.type) : undefined;
  if (kind === undefined) return [{ type: 'invalid', reason: `no "type" or "event" field: ${raw.slice(0, 80)}` }];

  const schema =
    {
      map: mapLine,
      stats: statsLine,
      printf: printfLine,
      [attachedProbesType]: attachedLine,
      lost_events: lostLine,
      prog_stats: progStatsLine,
    }[kind] ?? (errorLine.shape.type.safeParse(kind).success ? errorLine : undefined);
  if (!schema) return [{ type: 'ignored', kind }];
  const parsed = schema.safeParse(json);
  if (!parsed.success) return [{ type: 'invalid', reason: `malformed ${kind} line: ${parsed.error.issues[0]?.message ?? ''}` }];

  const line = parsed.data;
  switch (line.type) {
    case 'map':
      return Object.entries(line.data).map(([name, value]) =>
        parseKeyedMapName(name.slice(1)) && typeof value === 'object'
          ? keyedRecord(raw, name.slice(1), value, false)
          : { type: 'map', name: name.slice(1), value: mapValue(raw, name, value) },
      );
    case 'stats':
      return Object.entries(line.data).map(([name, value]): OutputRecord => {
        if (parseKeyedMapName(name.slice(1))) return keyedRecord(raw, name.slice(1), value, true);
        return 'count' in value && 'total' in value
          ? {
              type: 'stats',
              name: name.slice(1),
              count: mapValue(raw, 'count', value.count as number | string),
              total: mapValue(raw, 'total', value.total as number | string),
            }
          : { type: 'stats', name: name.slice(1), count: null, total: null };
      });
    case 'printf':
      return [{ type: 'printf', text: line.data }];
    case attachedProbesType:
      return [{ type: 'attached', probes: line.data.probes }];
    case 'lost_events':
      return [{ type: 'lost', events: line.data.events }];
    case 'prog_stats':
      return [
        {
          type: 'prog_stats',
          programs: line.data.map((program) => ({
            id: program.id,
            attach: program.attach,
            runTimeNs: BigInt(program.run_time_ns),
            runCount: BigInt(program.run_cnt),
            skippedRuns: BigInt(program.recursion_misses),
          })),
        },
      ];
    default:
      return [helperError(line)];
  }
};
