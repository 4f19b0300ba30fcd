// SPDX-License-Identifier: GPL-3.0-or-later
// Turn the catalogue's templates ({ret}, {arg.x}, {stash}, {var}) into bpftrace expressions for one attach kind.
import type { AttachKind } from '../../plan/families.js';
import type { ResolvedGroup } from '../../plan/plan-types.js';
import type { Dialect } from './dialect.js';

export class MissingTemplateValue extends Error {}

export interface TemplateContext {
  readonly kind: AttachKind;
  readonly dialect: Dialect;
  readonly group: ResolvedGroup;
  /** The exit side reads the stash from a map into $stash; fexit and the entry side compute it in place. */
  readonly stashVariable: boolean;
}

const literal = (text: string): boolean => text === '0' || text === '1';
// Plain names and member chains (args->count, retval) need no parentheses; anything else gets them.
export const wrap = (text: string): string => (literal(text) || /^[$\w]+((->|\.)\w+)*$/.test(text) ? text : `(${unwrap(text)})`);

const renderArg = (name: string, context: TemplateContext): string => {
  const { kind, dialect, group } = context;
  if (kind === 'tracepoint' || kind === 'fentry' || kind === 'fexit') return `args${dialect.args}${name}`;
  const arg = group.args[name];
  if (!arg || kind === 'kretprobe') throw new MissingTemplateValue(`argument ${name} is not readable from ${kind}`);
  return arg.type ? `((${arg.type})arg${arg.index})` : `arg${arg.index}`;
};

export const renderTemplate = (template: string, context: TemplateContext): string =>
  template.replace(/\{([\w.]+)\}/g, (_token, name: string) => {
    if (name === 'ret') {
      if (context.kind === 'tracepoint') return `args${context.dialect.args}ret`;
      if (context.kind === 'kretprobe' || context.kind === 'fexit') return 'retval';
      throw new MissingTemplateValue(`no return value at ${context.kind}`);
    }
    if (name.startsWith('arg.')) return renderArg(name.slice(4), context);
    if (name === 'stash') {
      if (!context.group.stash) throw new MissingTemplateValue('the group stashes nothing');
      return context.stashVariable ? '$stash' : wrap(renderTemplate(context.group.stash, context));
    }
    const value = context.group.vars[name];
    if (value === undefined) throw new MissingTemplateValue(`variable ${name} is not set`);
    return wrap(renderTemplate(value, context));
  });

// "(a) != 0" is two groups, not one: only strip parentheses that enclose the whole text.
export const unwrap = (text: string): string => {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let index = 0; index < text.length - 1; index += 1) {
    depth += text[index] === '(' ? 1 : text[index] === ')' ? -1 : 0;
    if (depth === 0) return text;
  }
  return text.slice(1, -1);
};

/** Render `when` clauses: literal true clauses vanish; null means the update can never happen here. */
export const renderCondition = (clauses: readonly string[], context: TemplateContext): string[] | null => {
  const kept: string[] = [];
  for (const clause of clauses) {
    const rendered = unwrap(renderTemplate(clause, context));
    if (rendered === '1' || rendered === '!0') continue;
    if (rendered === '0' || rendered === '!1') return null;
    kept.push(rendered);
  }
  return kept;
};
