// SPDX-License-Identifier: GPL-3.0-or-later
// Render the catalogue's expressions (src/plan/probe-expr.ts) as C for one of the helper's BPF programs; what each
// read point can read is src/plan/readable-values.ts.
// Names a program can use: `ctx`, its BPF_PROG/BPF_KPROBE parameters (the group's named arguments), `ret`
// and `stash` (locals the program declares when it reads them) and the helpers of bpf-fallback/process.bpf.c.
import type { GroupCounting } from '../../../plan/choose-attach.js';
import { foldConstantClauses, hex, unwrap, type ArgumentName, type Expr } from '../../../plan/probe-expr.js';
import { boundStash, boundVariable, readArgument, readMember, readReturn, type ReadPoint } from '../../../plan/readable-values.js';

export interface CContext {
  readonly point: ReadPoint;
  readonly group: GroupCounting;
  /** The exit side reads the stash taken at entry from the stash map; fexit and the entry side compute it. */
  readonly stashFromMap: boolean;
}

// A name, member chain, cast or call needs no parentheses; anything with an operator does.
const atom = (text: string): boolean => /^\S+$/.test(text) || /^\w+\([^()]*(\([^()]*\))?[^()]*\)$/.test(text);
const paren = (text: string): string => (atom(text) || unwrap(text) !== text ? text : `(${text})`);

// Trampoline and kprobe arguments are the program's BPF_PROG/BPF_KPROBE parameters; tracepoints read their record.
const renderArg = (name: ArgumentName, context: CContext): string => {
  const read = readArgument(context.point, context.group, name);
  if (read.access === 'fields') return `ctx->${name}`;
  return read.access === 'syscall' ? `ctx->args[${read.declared.index}]` : name;
};

export const renderC = (expr: Expr, context: CContext): string => {
  switch (expr.kind) {
    case 'ret':
      readReturn(context.point);
      // An int status travels in a 64-bit register whose upper half is not its sign.
      return context.group.returns === 'status' ? '(int)ret' : 'ret';
    case 'arg':
      return renderArg(expr.name, context);
    case 'member':
      readMember(context.point, context.group, expr.of, expr.field);
      return `BPF_CORE_READ(${renderC(expr.of, context)}, ${expr.field})`;
    case 'userU64':
      return `user_u64(${renderC(expr.at, context)})`;
    case 'literal':
      return expr.value;
    case 'stash': {
      const stashed = boundStash(context.group);
      return context.stashFromMap ? 'stash' : renderC(stashed, context);
    }
    case 'var':
      return renderC(boundVariable(context.group, expr.name), context);
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
