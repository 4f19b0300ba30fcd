// SPDX-License-Identifier: GPL-3.0-or-later
// Render the catalogue's expressions (src/plan/probe-expr.ts) as C for one of the helper's BPF programs.
// Names a program can use: `ctx`, its BPF_PROG/BPF_KPROBE parameters (the group's named arguments), `ret`
// and `stash` (locals the program declares when it reads them) and the helpers of bpf-fallback/process.bpf.c.
import type { AttachKind } from '../../../plan/families.js';
import type { GroupCounting } from '../../../plan/choose-attach.js';
import { foldConstantClauses, hex, unwrap, type Expr } from '../../../plan/probe-expr.js';

export class MissingValue extends Error {}

export interface CContext {
  readonly kind: AttachKind;
  readonly group: GroupCounting;
  /** Syscall tracepoints read `ctx->args[i]`; task events read their fields by name. */
  readonly syscall: boolean;
  /** The exit side reads the stash taken at entry from the stash map; fexit and the entry side compute it. */
  readonly stashFromMap: boolean;
}

// A name, member chain, cast or call needs no parentheses; anything with an operator does.
const atom = (text: string): boolean => /^\S+$/.test(text) || /^\w+\([^()]*(\([^()]*\))?[^()]*\)$/.test(text);
const paren = (text: string): string => (atom(text) || unwrap(text) !== text ? text : `(${text})`);

const renderArg = (name: string, context: CContext): string => {
  if (context.kind === 'kretprobe') throw new MissingValue(`argument ${name} is not readable from a kretprobe`);
  if (context.kind !== 'tracepoint' || !context.syscall) return name;
  const index = context.group.args[name]?.index;
  if (index === undefined) throw new Error(`syscall argument ${name} has no index in the catalogue (src/plan/catalogue.ts)`);
  return `ctx->args[${index}]`;
};

export const renderC = (expr: Expr, context: CContext): string => {
  switch (expr.kind) {
    case 'ret':
      if (context.kind === 'fentry' || context.kind === 'kprobe') throw new MissingValue(`no return value at ${context.kind}`);
      if (context.kind === 'tracepoint' && !context.syscall) throw new MissingValue('a task event has no return value');
      // An int status travels in a 64-bit register whose upper half is not its sign.
      return context.group.returns === 'status' ? '(int)ret' : 'ret';
    case 'arg':
      return context.kind === 'tracepoint' && !context.syscall ? `ctx->${expr.name}` : renderArg(expr.name, context);
    case 'member':
      return `BPF_CORE_READ(${renderC(expr.of, context)}, ${expr.field})`;
    case 'userU64':
      return `user_u64(${renderC(expr.at, context)})`;
    case 'literal':
      return expr.value;
    case 'stash':
      if (!context.group.stash) throw new MissingValue('the group stashes nothing');
      return context.stashFromMap ? 'stash' : renderC(context.group.stash, context);
    case 'var': {
      const value = context.group.vars[expr.name];
      if (value === undefined) throw new MissingValue(`variable ${expr.name} is not set`);
      return renderC(value, context);
    }
    case 'mask':
      return `${paren(renderC(expr.value, context))} & ${hex(expr.bits)}`;
    case 'compare':
      return `${paren(renderC(expr.left, context))} ${expr.op} ${paren(renderC(expr.right, context))}`;
    case 'not':
      return `!${paren(renderC(expr.of, context))}`;
  }
};

/** `when` clauses as C, constants folded: null when the update can never be made at this attach point. */
export const renderCCondition = (clauses: readonly Expr[], context: CContext): string[] | null =>
  foldConstantClauses(clauses.map((clause) => unwrap(renderC(clause, context))));
