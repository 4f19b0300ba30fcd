// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's BPF programs, generated at build time from the probe catalogue: one per group, attach kind and
// side the planner can choose, each making the catalogue's updates for that mode. bpf-fallback/process.bpf.c
// holds what they call (maps, the task filter, the stash); `make -C bpf-fallback` writes this text to
// .output/programs.gen.h.
import { probeCatalogue } from '../../../plan/catalogue.js';
import type { ProbeDefinition, TracepointGroup, Update } from '../../../plan/catalogue-types.js';
import { groupCounting, returnsOf, syscallReturns, type GroupCounting } from '../../../plan/choose-attach.js';
import { counterSlot } from './counters-header.js';
import { attachKind, families, type AttachKind, type Family, type Side } from '../../../plan/families.js';
import { subjectTask } from '../../../plan/counter-sources.js';
import { unwrap } from '../../../plan/probe-expr.js';
import { programName, stashProgramName } from '../program-names.js';
import { renderC, renderCCondition, type CContext } from './render-c-expr.js';
import { readPointOf, Unreadable, type TracepointSource } from '../../../plan/readable-values.js';

interface Target {
  readonly counting: GroupCounting;
  readonly events?: readonly string[];
}

// Every way a group can resolve: one per distinct return convention of its alternatives (close's NULL).
const targetsOf = (probe: ProbeDefinition, family: Family): Target[] => {
  if (family === 'tracepoint') {
    return probe.tracepoints.map((group: TracepointGroup) => ({ counting: groupCounting(group, syscallReturns), events: group.events }));
  }
  return probe.functions.flatMap((group) =>
    [...new Set(group.oneOf.map((alt) => returnsOf(probe, alt)))].map((returns) => ({ counting: groupCounting(group, returns) })),
  );
};

// BPF_PROG and BPF_KPROBE name the arguments the body reads; positions before them get a placeholder.
const parameters = (counting: GroupCounting, body: string): string => {
  const used = Object.entries(counting.args).filter(([name]) => new RegExp(`\\b${name}\\b`).test(body));
  const byIndex = new Map(used.map(([name, arg]) => [arg.index, `${arg.type ?? 'u64 '}${name}`]));
  const last = Math.max(-1, ...byIndex.keys());
  return Array.from({ length: last + 1 }, (_, index) => byIndex.get(index) ?? `u64 arg${index}`)
    .map((text) => `, ${text}`)
    .join('');
};

// A tracepoint that names its task by pid only (sched_process_free) is hooked raw: its argument is the task, and a
// raw hook is not skipped when it interrupts another tracing program (process.bpf.c, raw_task()).
const hookedRaw = (counting: GroupCounting): boolean => counting.vars['subject'] !== undefined && subjectTask(counting) === undefined;

const tracepointContext = (target: Target, side: Side, readsFields: boolean): string => {
  if (!target.events) return `struct trace_event_raw_sys_${side === 'entry' ? 'enter' : 'exit'} *ctx`;
  const event = target.events[0]!.split(':')[1]!;
  return readsFields ? `struct trace_event_raw_${event} *ctx` : 'void *ctx';
};

const head = (kind: AttachKind, name: string, target: Target, side: Side, body: string): string => {
  const { counting } = target;
  switch (kind) {
    case 'fentry':
    case 'fexit':
      return `SEC("${kind}")\nint BPF_PROG(${name}${parameters(counting, body)})`;
    case 'kprobe':
      return `SEC("kprobe")\nint BPF_KPROBE(${name}${parameters(counting, body)})`;
    case 'kretprobe':
      return `SEC("kretprobe")\nint BPF_KRETPROBE(${name}, long ret)`;
    case 'tracepoint':
      if (hookedRaw(counting)) return `SEC("raw_tp")\nint ${name}(struct bpf_raw_tracepoint_args *ctx)`;
      return `SEC("tracepoint")\nint ${name}(${tracepointContext(target, side, /ctx->(?!args|ret)/.test(body))})`;
  }
};

const uses = (lines: readonly string[], name: string): boolean => lines.some((line) => new RegExp(`\\b${name}\\b`).test(line));

// Where the event adds (the host's totals and its keys'), found from the current task or, for a release, from
// the task the event is about; false when the task filter does not count that task.
const findTotals = (context: CContext): string => {
  if (!context.group.vars['subject']) return 'current_totals(each)';
  const task = subjectTask(context.group);
  if (task) return `released_task_totals(${renderC(task, context)}, each)`;
  if (context.point === 'raw_tracepoint') return 'released_task_totals(raw_task(ctx), each)';
  throw new Error("a subject is a task argument's pid or sched_process_free's pid");
};

const updateLines = (updates: readonly Update[], context: CContext): string[] =>
  updates.flatMap((update) => {
    try {
      const clauses = renderCCondition(update.when ?? [], context);
      if (clauses === null) return [];
      const add = `totals->slot[${counterSlot(update.counter)}] += ${update.add ? renderC(update.add, context) : '1'};`;
      return clauses.length ? [`if (${clauses.join(' && ')})`, `\t${add}`] : [add];
    } catch (error) {
      // A value this attach point lacks (entry bytes of the vectored calls): the update is not made here.
      if (error instanceof Unreadable) return [];
      throw error;
    }
  });

const program = (headLine: string, locals: readonly string[], statements: readonly string[]): string => {
  const body = [...locals, ...(locals.length ? [''] : []), ...statements, 'return 0;'];
  return `${headLine}\n{\n${body.map((line) => (line ? `\t${line}` : '')).join('\n')}\n}`;
};

const sourceOf = (target: Target): TracepointSource => (!target.events ? 'syscall' : hookedRaw(target.counting) ? 'raw' : 'event');

const countingProgram = (target: Target, kind: AttachKind, side: Side, updates: readonly Update[]): [string, string] | undefined => {
  const { counting } = target;
  const stashFromMap = side === 'exit' && kind !== 'fexit' && counting.stash !== undefined;
  const context: CContext = { point: readPointOf(kind, side, sourceOf(target)), group: counting, stashFromMap };
  const lines = updateLines(updates, context);
  if (lines.length === 0) return undefined;
  const name = programName(counting, kind, side);
  const locals = [
    ...(stashFromMap ? ['bool stash = stash_take();'] : []),
    ...(kind === 'fexit' && uses(lines, 'ret') ? ['long ret = 0;'] : []),
    ...(kind === 'tracepoint' && side === 'exit' && uses(lines, 'ret') ? ['long ret = ctx->ret;'] : []),
    'struct totals *each[TOTALS_PER_EVENT] = {};',
  ];
  const statements = [
    // fexit reads the return value through a helper: the targets, and so their argument counts, vary.
    ...(kind === 'fexit' && uses(lines, 'ret') ? ['bpf_get_func_ret(ctx, (u64 *)&ret);'] : []),
    `if (!${findTotals(context)})`,
    '\treturn 0;',
    '#pragma unroll',
    'for (int i = 0; i < TOTALS_PER_EVENT; i++) {',
    '\tstruct totals *totals = each[i];',
    '',
    '\tif (!totals)',
    '\t\tcontinue;',
    ...lines.map((line) => `\t${line}`),
    '}',
  ];
  return [name, program(head(kind, name, target, side, [...locals, ...statements].join('\n')), locals, statements)];
};

const stashProgram = (target: Target, family: Family): [string, string] => {
  const kind = attachKind(family, 'entry');
  const context: CContext = { point: readPointOf(kind, 'entry', sourceOf(target)), group: target.counting, stashFromMap: false };
  const name = stashProgramName(target.counting.program, family);
  const statements = ['if (current_wanted(&comm))', `\tstash_put(${unwrap(renderC(target.counting.stash!, context))});`];
  return [name, program(head(kind, name, target, 'entry', statements.join('\n')), ['struct comm_key comm = {};'], statements)];
};

const probePrograms = (probe: ProbeDefinition): [string, string][] => {
  const sides: [Side, readonly Update[]][] = [
    ...(probe.entry.length ? [['entry', probe.entry] as [Side, readonly Update[]]] : []),
    ...(probe.return ? [['exit', probe.return] as [Side, readonly Update[]]] : []),
  ];
  return sides.flatMap(([side, updates]) =>
    families.flatMap((family) =>
      targetsOf(probe, family).flatMap((target) => {
        const kind = attachKind(family, side);
        const counting = countingProgram(target, kind, side, updates);
        const stashes = side === 'exit' && family !== 'trampoline' && target.counting.stash !== undefined;
        return [...(stashes ? [stashProgram(target, family)] : []), ...(counting ? [counting] : [])];
      }),
    ),
  );
};

/** The C text of every program, each once, in catalogue order. */
export const programsSource = (): string => {
  const programs = new Map<string, string>();
  for (const [name, text] of probeCatalogue.flatMap(probePrograms)) {
    const earlier = programs.get(name);
    if (earlier !== undefined && earlier !== text)
      throw new Error(`two different programs would be named ${name}: give their groups distinct \`program\` stems`);
    programs.set(name, text);
  }
  const text = [
    '// Generated from src/plan/catalogue.ts by src/backend/helper/c-sources/programs-source.ts: do not edit.',
    ...programs.values(),
  ];
  return `${text.join('\n\n')}\n`;
};

/** Every program name the helper has: what helper-programs.ts may ask for. */
export const programNames = (): string[] => [...new Set(probeCatalogue.flatMap(probePrograms).map(([name]) => name))];
