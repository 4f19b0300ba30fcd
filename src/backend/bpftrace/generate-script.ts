// SPDX-License-Identifier: GPL-3.0-or-later
// Generate the bpftrace script for a plan: one probe block per attach group, an interval that prints every
// counter (JSON for the plugin, a table for people), and a header that says what is measured where.
import type { Update } from '../../plan/catalogue-types.js';
import type { CounterId } from '../../plan/counters.js';
import { attachKind, type AttachKind } from '../../plan/families.js';
import type { Attachment, Plan, PlannedProbe, ResolvedGroup } from '../../plan/plan-types.js';
import { deleteStatement, type Dialect } from './dialect.js';
import { filterText, type FilterText } from './task-filter-clauses.js';
import { MissingTemplateValue, renderCondition, renderTemplate, unwrap as unwrapStash, type TemplateContext } from './render-template.js';
import { renderHeader } from './script-header.js';

export interface ScriptOptions {
  readonly dialect: Dialect;
  /** json: map prints plus a `sample` marker for the plugin; table: per-interval counts for people. */
  readonly output: 'json' | 'table';
  readonly intervalSeconds: number;
  readonly generator: string;
}

export interface GeneratedScript {
  readonly text: string;
  /** Environment bpftrace needs for this dialect (0.24+ settings). */
  readonly env: Readonly<Record<string, string>>;
  /** Counters the script prints, in catalogue order. */
  readonly counters: readonly CounterId[];
}

/** The marker printed after every interval's maps: one complete sample. The helper prints it too. */
export const sampleMarker = 'sample\n';

const probeName = (kind: AttachKind, target: string, dialect: Dialect): string => {
  const prefix = kind === 'fentry' ? dialect.fentry : kind === 'fexit' ? dialect.fexit : kind;
  return `${prefix}:${target}`;
};

interface ProbeBlock { readonly attachPoints: readonly string[]; readonly predicate: string; readonly body: readonly string[] }

const block = ({ attachPoints, predicate, body }: ProbeBlock): string =>
  `${attachPoints.join(',\n')}\n${predicate ? `/${predicate}/\n` : ''}{\n${body.map((line) => `  ${line}`).join('\n')}\n}`;

// Groups whose bodies came out the same (read and readv at exit) share one block.
const mergeSameBodies = (blocks: readonly ProbeBlock[]): ProbeBlock[] => {
  const merged = new Map<string, ProbeBlock>();
  for (const current of blocks) {
    const key = `${current.predicate}\n${current.body.join('\n')}`;
    const earlier = merged.get(key);
    merged.set(key, earlier ? { ...earlier, attachPoints: [...earlier.attachPoints, ...current.attachPoints] } : current);
  }
  return [...merged.values()];
};

const renderUpdate = (update: Update, context: TemplateContext): string | undefined => {
  try {
    const clauses = renderCondition(update.when ?? [], context);
    if (clauses === null) return undefined;
    const action = update.add === undefined
      ? `@${update.counter} = count();`
      : `@${update.counter} = sum(${renderTemplate(update.add, context)});`;
    return clauses.length ? `if (${clauses.join(' && ')}) { ${action} }` : action;
  } catch (error) {
    // An update needing a value this attach point lacks (entry bytes of readv) is not made there.
    if (error instanceof MissingTemplateValue) return undefined;
    throw error;
  }
};

interface RenderedGroup { blocks: ProbeBlock[]; counters: CounterId[]; maps: string[] }

const renderGroup = (
  planned: PlannedProbe, attachment: Attachment, group: ResolvedGroup, dialect: Dialect, filter: FilterText | undefined,
): RenderedGroup => {
  const stashMap = `@${planned.probe}_stash`;
  const usesStashMap = group.stashTargets.length > 0;
  const context: TemplateContext = { kind: attachment.kind, dialect, group, stashVariable: usesStashMap };
  const updates = planned.updates
    .map((update) => ({ update, line: renderUpdate(update, context) }))
    .filter((rendered): rendered is { update: Update; line: string } => rendered.line !== undefined);
  if (updates.length === 0) return { blocks: [], counters: [], maps: [] };

  const subjectId = group.vars.subject && filter ? renderTemplate('{subject}', context) : undefined;
  const predicate = (subjectId ? filter?.subject(subjectId) : filter?.current) ?? '';
  const body = updates.map((rendered) => rendered.line);
  const blocks: ProbeBlock[] = [];
  if (usesStashMap && body.some((line) => line.includes('$stash'))) {
    const entryKind = attachKind(attachment.family, 'entry');
    const entryContext: TemplateContext = { ...context, kind: entryKind, stashVariable: false };
    blocks.push({
      attachPoints: group.stashTargets.map((target) => probeName(entryKind, target, dialect)),
      predicate,
      body: [`${stashMap}[tid] = ${unwrapStash(renderTemplate('{stash}', entryContext))};`],
    });
    body.unshift(`$stash = ${stashMap}[tid];`, deleteStatement(dialect, stashMap, 'tid'));
  }
  if (subjectId) body.push(...filter!.forget(subjectId));
  blocks.push({ attachPoints: group.targets.map((target) => probeName(attachment.kind, target, dialect)), predicate, body });
  return {
    blocks,
    counters: updates.map((rendered) => rendered.update.counter),
    maps: blocks.length > 1 ? [stashMap] : [],
  };
};

const intervalBlock = (counters: readonly CounterId[], options: ScriptOptions): string => {
  const body = options.output === 'json'
    ? [...counters.map((counter) => `print(@${counter});`), `printf(${JSON.stringify(sampleMarker)});`]
    : ['time("%H:%M:%S\\n");', ...counters.flatMap((counter) => [`print(@${counter});`, `clear(@${counter});`])];
  return block({ attachPoints: [`interval:s:${options.intervalSeconds}`], predicate: '', body });
};

const configBlock = (dialect: Dialect): string[] => {
  const entries = Object.entries(dialect.config);
  return entries.length ? [`config = {\n${entries.map(([key, value]) => `  ${key} = ${value};`).join('\n')}\n}`] : [];
};

export const generateScript = (plan: Plan, options: ScriptOptions): GeneratedScript => {
  if (!Number.isInteger(options.intervalSeconds) || options.intervalSeconds < 1 || options.intervalSeconds > 3600) {
    throw new RangeError(`interval must be 1-3600 seconds, got ${options.intervalSeconds}`);
  }
  const filter = filterText(plan.filter, options.dialect);
  const rendered = plan.probes.map((planned) => {
    const groups = planned.chosen
      ? planned.chosen.groups.map((group) => renderGroup(planned, planned.chosen!, group, options.dialect, filter))
      : [];
    return {
      blocks: mergeSameBodies(groups.flatMap((group) => group.blocks)),
      counters: groups.flatMap((group) => group.counters),
      maps: groups.flatMap((group) => group.maps),
    };
  });
  const produced = new Set(rendered.flatMap((group) => group.counters));
  const counters = plan.probes.flatMap((planned) => planned.counters).filter((counter) => produced.has(counter));
  const helperMaps = [...new Set([...(filter?.maps ?? []), ...rendered.flatMap((group) => group.maps)])];

  const begin = [
    ...(options.output === 'table' ? ['printf("Counting file, VFS and process events every ' +
      `${options.intervalSeconds} s. Hit Ctrl-C to end.\\n");`] : []),
    ...(filter?.begin ?? []),
  ];
  const sections = [
    renderHeader(plan, options, counters),
    ...configBlock(options.dialect),
    ...(begin.length ? [block({ attachPoints: ['BEGIN'], predicate: '', body: begin })] : []),
    ...(filter?.probes ?? []),
    ...rendered.flatMap((probe) => probe.blocks.map(block)),
    intervalBlock(counters, options),
    ...(helperMaps.length ? [block({ attachPoints: ['END'], predicate: '', body: helperMaps.map((map) => `clear(${map});`) })] : []),
  ];
  return { text: `${sections.join('\n\n')}\n`, env: options.dialect.env, counters };
};
