// SPDX-License-Identifier: GPL-3.0-or-later
// Generate the bpftrace script for a plan: one probe block per attach group, an interval that prints every
// counter (JSON for the plugin, a table for people), and a header that says what is measured where.
import { updateEverySeconds } from '../../limits.js';
import type { Update } from '../../plan/catalogue-types.js';
import { keyedMapName, parseKeyedMapName, seenMapName, type CounterKey, type KeyTable } from '../../plan/counter-keys.js';
import { eventCounters, totalOf, type CounterId } from '../../plan/counters.js';
import { attachKind, type AttachKind } from '../../plan/families.js';
import type { Attachment, Plan, PlannedProbe, ResolvedGroup } from '../../plan/plan-types.js';
import { stash, unwrap, variable } from '../../plan/probe-expr.js';
import { deleteStatement, type Dialect } from './dialect.js';
import { exitedKeyStatements, keyText } from './key-text.js';
import { filterText, type FilterText } from './task-filter-clauses.js';
import { renderCondition, renderExpr, wrap, type RenderContext } from './render-expr.js';
import { readPointOf, stashPoint, Unreadable } from '../../plan/readable-values.js';
import { tracepointSource } from '../../plan/tracepoint-names.js';
import { renderHeader, type ScriptOptions } from './script-header.js';
import { rawReleaseGroup } from './raw-release.js';
import { rawReleaseChoice } from '../../plan/release-hook.js';
import { sampleMarker } from '../markers.js';

export interface GeneratedScript {
  readonly text: string;
  /** Environment bpftrace needs for this dialect (0.24+ settings). */
  readonly env: Readonly<Record<string, string>>;
  /** Counters the script prints, in catalogue order. */
  readonly counters: readonly CounterId[];
  /** The lines (from 1, as bpftrace reports them) that count an event per key, with the key. */
  readonly keyedEventLines: ReadonlyMap<number, CounterKey>;
  /** bpftrace's arguments besides the output format and the script: `-k` where a full map is reported only with it. */
  readonly flags: readonly string[];
  /** Functions to hand bpftrace as traceable (`--traceable-functions`) where the kernel hides its list. */
  readonly traceableFunctions?: readonly string[];
}

// `@open__cgroup[cgroup] = count();`: one keyed update per line, as renderUpdate writes them.
const keyedUpdate = /@(\w+?)__(\w+)\[.*\] = /;

// The lines where an event counter's keyed map is updated: a failed update there is an event its table did not count.
const keyedEventLines = (text: string): Map<number, CounterKey> => {
  const lines = new Map<number, CounterKey>();
  text.split('\n').forEach((line, index) => {
    const match = keyedUpdate.exec(line);
    const map = match && parseKeyedMapName(`${match[1]}__${match[2]}`);
    if (map && (eventCounters as readonly string[]).includes(map.counter)) lines.set(index + 1, map.key);
  });
  return lines;
};

const probeName = (kind: AttachKind, target: string, dialect: Dialect): string => {
  const prefix = kind === 'fentry' ? dialect.fentry : kind === 'fexit' ? dialect.fexit : kind;
  return `${prefix}:${target}`;
};

interface ProbeBlock {
  readonly attachPoints: readonly string[];
  readonly predicate: string;
  readonly body: readonly string[];
}

const block = ({ attachPoints, predicate, body }: ProbeBlock): string =>
  `${attachPoints.join(',\n')}\n${predicate ? `/${predicate}/\n` : ''}{\n${body.map((line) => `  ${line}`).join('\n')}\n}`;

// bpftrace types a trampoline's args and retval from each function's BTF, so one block over functions with other
// parameters is refused where it reads them ("Probe has attach points with mixed arguments": 0.17 on Debian 12's
// 6.1 for vfs_read with vfs_readv, found by the kernel matrix, test/kernels/).
const typedPerFunction = (current: ProbeBlock, dialect: Dialect): boolean =>
  current.attachPoints.some((point) => point.startsWith(`${dialect.fentry}:`) || point.startsWith(`${dialect.fexit}:`)) &&
  /\b(args|retval)\b/.test(`${current.predicate}\n${current.body.join('\n')}`);

// Groups whose bodies came out the same (read and readv at a kretprobe) share one block.
const mergeSameBodies = (blocks: readonly ProbeBlock[], dialect: Dialect): ProbeBlock[] => {
  const merged = new Map<string, ProbeBlock>();
  for (const current of blocks) {
    const functions = typedPerFunction(current, dialect) ? current.attachPoints.join() : '';
    const key = `${functions}\n${current.predicate}\n${current.body.join('\n')}`;
    const earlier = merged.get(key);
    merged.set(key, earlier ? { ...earlier, attachPoints: [...earlier.attachPoints, ...current.attachPoints] } : current);
  }
  return [...merged.values()];
};

/** One map update of the script: a counter's own, or (`stats` dialect) a count with the total of its calls. */
interface Counting {
  readonly update: Update;
  readonly total?: Update;
}

// With the `stats` dialect an unconditional count and the total of the same calls (read and read_bytes)
// become one `stats()` map named after the count; the total's own update is folded into it.
const countings = (updates: readonly Update[], dialect: Dialect): Counting[] => {
  const totalFor = (update: Update): Update | undefined => {
    const total = totalOf[update.counter];
    if (dialect.countWithTotal !== 'stats' || !total || update.add !== undefined || update.when?.length) return undefined;
    return updates.find((other) => other.counter === total && other.add !== undefined);
  };
  const folded = new Set(updates.flatMap((update) => totalFor(update)?.counter ?? []));
  return updates
    .filter((update) => !folded.has(update.counter))
    .map((update) => {
      const total = totalFor(update);
      return total ? { update, total } : { update };
    });
};

// Where the total's value is missing (entry bytes of readv) or its condition never holds, the calls still
// count: they add 0. A condition that may hold picks the value or 0.
const statsValue = (total: Update, context: RenderContext): string => {
  try {
    const clauses = renderCondition(total.when ?? [], context);
    if (clauses === null) return '0';
    const value = renderExpr(total.add!, context);
    return clauses.length ? `${clauses.join(' && ')} ? ${wrap(value)} : 0` : unwrap(value);
  } catch (error) {
    if (error instanceof Unreadable) return '0';
    throw error;
  }
};

/** The statements of one update: on the host's map, then on each key's map where the event carries the key. */
interface RenderedUpdate {
  readonly statements: string[];
  readonly keyedMaps: string[];
}

const renderUpdate = ({ update, total }: Counting, context: RenderContext, keys: readonly CounterKey[]): RenderedUpdate | undefined => {
  try {
    const clauses = renderCondition(update.when ?? [], context);
    if (clauses === null) return undefined;
    const value = total
      ? `stats(${statsValue(total, context)})`
      : update.add === undefined
        ? 'count()'
        : `sum(${renderExpr(update.add, context)})`;
    const keyed = keys.flatMap((key) => {
      const text = keyText(key, context);
      return text === undefined ? [] : [{ map: keyedMapName(update.counter, key), text }];
    });
    const actions = [
      `@${update.counter} = ${value};`,
      ...keyed.map(({ map, text }) =>
        text.guard ? `if (${text.guard}) { @${map}[${text.value}] = ${value}; }` : `@${map}[${text.value}] = ${value};`,
      ),
    ];
    const condition = `if (${clauses.join(' && ')})`;
    const statements = !clauses.length
      ? actions
      : actions.length === 1
        ? [`${condition} { ${actions[0]} }`]
        : [`${condition} {`, ...actions.map((action) => `  ${action}`), '}'];
    return { statements, keyedMaps: keyed.map(({ map }) => map) };
  } catch (error) {
    // An update needing a value this attach point lacks (entry bytes of readv) is not made there.
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
};

/** counters: those the group updates; inStats: totals kept in a count's stats() map, not printed as maps
 *  of their own; keyedMaps: the per-key maps it updates; maps: helper maps to clear at the end. */
interface RenderedGroup {
  blocks: ProbeBlock[];
  counters: CounterId[];
  inStats: CounterId[];
  keyedMaps: string[];
  maps: string[];
}

const renderGroup = (
  planned: PlannedProbe,
  attachment: Attachment,
  plannedGroup: ResolvedGroup,
  dialect: Dialect,
  filter: FilterText | undefined,
  keys: readonly CounterKey[],
  rawRelease: boolean,
): RenderedGroup => {
  const raw = rawRelease && attachment.kind === 'tracepoint' ? rawReleaseGroup(plannedGroup) : undefined;
  const group = raw ?? plannedGroup;
  const stashMap = `@${planned.probe}_stash`;
  const usesStashMap = group.stashTargets.length > 0;
  const point = readPointOf(attachment.kind, attachment.side, raw ? 'raw' : tracepointSource(group.targets));
  const context: RenderContext = { point, dialect, group, stashVariable: usesStashMap };
  const updates = countings(planned.updates, dialect)
    .map((counting) => ({ counting, rendered: renderUpdate(counting, context, keys) }))
    .filter((item): item is { counting: Counting; rendered: RenderedUpdate } => item.rendered !== undefined);
  if (updates.length === 0) return { blocks: [], counters: [], inStats: [], keyedMaps: [], maps: [] };
  // A total that adds 0 here (no value at this attach point) is not collected by this group.
  const totals = updates.flatMap(({ counting: { total } }) => (total && statsValue(total, context) !== '0' ? [total.counter] : []));

  const subjectId = group.vars.subject ? renderExpr(variable('subject'), context) : undefined;
  const predicate = (subjectId && filter ? filter.subject(subjectId) : filter?.current) ?? '';
  const body = updates.flatMap(({ rendered }) => rendered.statements);
  const blocks: ProbeBlock[] = [];
  // The event names its task by pid only: its keys were remembered at the task's exit, while it was current.
  const exited = group.keysFrom && keys.length && subjectId ? exitedKeyStatements(keys, subjectId) : undefined;
  if (exited) {
    blocks.push({
      attachPoints: [probeName('tracepoint', group.keysFrom!, dialect)],
      predicate: filter?.current ?? '',
      body: exited.remember,
    });
    body.unshift(...exited.takeBack);
  }
  const stashed = usesStashMap && body.some((line) => line.includes('$stash'));
  if (stashed) {
    const entryKind = attachKind(attachment.family, 'entry');
    const entryContext: RenderContext = { ...context, point: stashPoint(point), stashVariable: false };
    blocks.push({
      attachPoints: group.stashTargets.map((target) => probeName(entryKind, target, dialect)),
      predicate,
      body: [`${stashMap}[tid] = ${unwrap(renderExpr(stash, entryContext))} ? 2 : 1;`],
    });
    // The map holds 2 or 1 for the stashed condition (written `1 + condition`, 0.23 lost half the unlinkat
    // calls), so a task that stashed nothing reads 0 and deletes nothing: the new task returning from
    // clone(2)/clone3(2), or a call already under way at attach. The value read serves as the presence
    // check, so this needs no has_key() (one lookup fewer than deleteStatement) and runs on every version.
    body.unshift(`$stashed = ${stashMap}[tid];`, `if ($stashed) { delete(${stashMap}[tid]); }`, '$stash = $stashed == 2;');
  }
  if (subjectId && filter) body.push(...filter.forget(subjectId));
  blocks.push({
    attachPoints: group.targets.map((target) => (raw ? `rawtracepoint:${target}` : probeName(attachment.kind, target, dialect))),
    predicate,
    body,
  });
  return {
    blocks,
    counters: [...updates.map(({ counting }) => counting.update.counter), ...totals],
    inStats: updates.flatMap(({ counting: { total } }) => (total ? [total.counter] : [])),
    keyedMaps: updates.flatMap(({ rendered }) => rendered.keyedMaps),
    maps: [...(stashed ? [stashMap] : []), ...(exited?.maps ?? [])],
  };
};

/** The map holding when the next sample is due, in the kernel's monotonic nanoseconds. */
const nextSampleMap = '@next_sample';
/** How often the sample tick looks at the clock. */
const tickMs = 100;
/** Nanoseconds between two samples. */
const samplePeriodNs = (options: ScriptOptions): number => options.intervalSeconds * 1_000_000_000;

/** maps: the counters' maps, in catalogue order (a stats() map prints its count and its total), then the
 *  keyed ones. The samples are paced by a 100 ms tick, not an `interval:s:N` of their own: the kernel skips a
 *  perf-event program that fires while another of our programs runs on that CPU (a release in softirq, a
 *  read under a dd loop), and a skipped `interval:s:1` lost a whole second's update; a skipped tick only
 *  delays the sample to the next one. */
const intervalBlock = (maps: readonly string[], options: ScriptOptions): string => {
  const periodNs = samplePeriodNs(options);
  const print =
    options.output === 'json'
      ? [...maps.map((map) => `print(@${map});`), `printf(${JSON.stringify(sampleMarker)});`]
      : ['time("%H:%M:%S\\n");', ...maps.flatMap((map) => [`print(@${map});`, `clear(@${map});`])];
  const body = [
    `if (nsecs >= ${nextSampleMap}) {`,
    // Due again one period after the last due time, so the pace does not drift with the tick; after a stall
    // longer than a period, one period from now rather than a burst of samples.
    `  ${nextSampleMap} = ${nextSampleMap} + ${periodNs};`,
    `  if (${nextSampleMap} <= nsecs) { ${nextSampleMap} = nsecs + ${periodNs}; }`,
    ...print.map((line) => `  ${line}`),
    '}',
  ];
  return block({ attachPoints: [`interval:ms:${tickMs}`], predicate: '', body });
};

// A new cgroup is printed before its first event, so the plugin charts it at once; a removed one leaves its keys:
// delete them, so the tables hold live cgroups only.
const cgroupEventBlocks = (events: NonNullable<Plan['cgroupEvents']>, keyedMaps: readonly string[], dialect: Dialect): string[] => {
  const id = `args${dialect.args}id`;
  return [
    block({ attachPoints: [`tracepoint:${events.created}`], predicate: '', body: [`@${seenMapName('cgroup')}[${id}] = 1;`] }),
    block({
      attachPoints: [`tracepoint:${events.removed}`],
      predicate: '',
      body: keyedMaps.filter((map) => parseKeyedMapName(map)?.key === 'cgroup').map((map) => deleteStatement(dialect, `@${map}`, id)),
    }),
  ];
};

/** bpftrace's own bound on a map's keys when none is set (4096 in every release). */
export const bpftraceMapKeys = 4096;

/** The one bound a bpftrace script sets on all its maps' keys (0: none set): the largest key table, and never less
 *  than bpftrace's default, which the stash and the task filter's maps need for the threads in flight (a smaller
 *  table would lose host counts). A key table smaller than it therefore holds this many keys in the kernel. */
export const bpftraceKeyBound = (tables: readonly KeyTable[] | undefined): number =>
  tables?.length ? Math.max(bpftraceMapKeys, ...tables.map(({ entries }) => entries)) : 0;

const configBlock = (dialect: Dialect): string[] => {
  const entries = Object.entries(dialect.config);
  return entries.length ? [`config = {\n${entries.map(([key, value]) => `  ${key} = ${value};`).join('\n')}\n}`] : [];
};

export const generateScript = (plan: Plan, options: ScriptOptions): GeneratedScript => {
  const { min, max } = updateEverySeconds;
  if (!Number.isInteger(options.intervalSeconds) || options.intervalSeconds < min || options.intervalSeconds > max) {
    throw new RangeError(`interval must be ${min}-${max} seconds, got ${options.intervalSeconds}`);
  }
  const release = rawReleaseChoice(options.dialect, {
    kernelBtf: options.kernelBtf ?? false,
    filterFunctionsReadable: options.filterFunctionsReadable ?? true,
  });
  const filter = filterText(plan, options.dialect, release.raw);
  const rendered = plan.probes.map((planned) => {
    const groups = planned.chosen
      ? planned.chosen.groups.map((group) =>
          renderGroup(
            planned,
            planned.chosen!,
            group,
            options.dialect,
            filter,
            (plan.keys ?? []).map(({ key }) => key),
            release.raw,
          ),
        )
      : [];
    return {
      blocks: mergeSameBodies(
        groups.flatMap((group) => group.blocks),
        options.dialect,
      ),
      counters: groups.flatMap((group) => group.counters),
      inStats: groups.flatMap((group) => group.inStats),
      keyedMaps: groups.flatMap((group) => group.keyedMaps),
      maps: groups.flatMap((group) => group.maps),
    };
  });
  const keyedMaps = [...new Set(rendered.flatMap((probe) => probe.keyedMaps)), ...(plan.cgroupEvents ? [seenMapName('cgroup')] : [])];
  const produced = new Set(rendered.flatMap((group) => group.counters));
  const counters = plan.probes.flatMap((planned) => planned.counters).filter((counter) => produced.has(counter));
  const inStats = new Set(rendered.flatMap((group) => group.inStats));
  const helperMaps = [...new Set([...(filter?.maps ?? []), ...rendered.flatMap((group) => group.maps), nextSampleMap])];

  const begin = [
    ...(options.output === 'table'
      ? [`printf("Counting file, VFS and process events every ${options.intervalSeconds} s. Hit Ctrl-C to end.\\n");`]
      : []),
    ...(filter?.begin ?? []),
    `${nextSampleMap} = nsecs + ${samplePeriodNs(options)};`,
  ];
  const sections = [
    renderHeader(
      plan,
      options,
      counters,
      counters.filter((counter) => inStats.has(counter)),
      release,
    ),
    ...configBlock(options.dialect),
    block({ attachPoints: ['BEGIN'], predicate: '', body: begin }),
    ...(filter?.probes ?? []),
    ...rendered.flatMap((probe) => probe.blocks.map(block)),
    ...(plan.cgroupEvents ? cgroupEventBlocks(plan.cgroupEvents, keyedMaps, options.dialect) : []),
    intervalBlock([...counters.filter((counter) => !inStats.has(counter)), ...keyedMaps], options),
    block({ attachPoints: ['END'], predicate: '', body: helperMaps.map((map) => `clear(${map});`) }),
  ];
  const keyed = bpftraceKeyBound(plan.keys);
  const env = keyed ? { ...options.dialect.env, [options.dialect.mapKeysEnv]: String(keyed) } : options.dialect.env;
  const text = `${sections.join('\n\n')}\n`;
  const flags = keyed && options.dialect.mapFullNeedsK ? ['-k'] : [];
  const traceableFunctions = release.raw ? release.traceableFunctions : undefined;
  return {
    text,
    env,
    counters,
    keyedEventLines: keyed ? keyedEventLines(text) : new Map(),
    flags,
    ...(traceableFunctions ? { traceableFunctions } : {}),
  };
};
