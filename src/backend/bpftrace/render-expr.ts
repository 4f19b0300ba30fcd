// SPDX-License-Identifier: GPL-3.0-or-later
// Render the catalogue's expressions (src/plan/probe-expr.ts) as bpftrace for one attach kind.
import type { AttachKind } from '../../plan/families.js';
import type { ResolvedGroup } from '../../plan/plan-types.js';
import { foldConstantClauses, hex, unwrap, type Expr } from '../../plan/probe-expr.js';
import type { Dialect } from './dialect.js';

/** The expression reads a value this attach point does not have (a kretprobe has no arguments). */
export class MissingValue extends Error {}

export interface RenderContext {
  readonly kind: AttachKind;
  readonly dialect: Dialect;
  readonly group: ResolvedGroup;
  /** The exit side reads the stash from a map into $stash; fexit and the entry side compute it in place. */
  readonly stashVariable: boolean;
}

const literal = (text: string): boolean => text === '0' || text === '1';
// Plain names and member chains (args->count, retval) need no parentheses; anything else gets them.
export const wrap = (text: string): string => (literal(text) || /^[$\w]+((->|\.)\w+)*$/.test(text) ? text : `(${unwrap(text)})`);

const renderArg = (name: string, context: RenderContext): string => {
  const { kind, dialect, group } = context;
  if (kind === 'tracepoint' || kind === 'fentry' || kind === 'fexit') return `args${dialect.args}${name}`;
  const arg = group.args[name];
  if (!arg || kind === 'kretprobe') throw new MissingValue(`argument ${name} is not readable from ${kind}`);
  return arg.type ? `((${arg.type})arg${arg.index})` : `arg${arg.index}`;
};

// An operand that is itself an operation is parenthesized: "(args.flag & 0x200) == 0".
const operand = (expr: Expr, context: RenderContext): string => {
  const text = renderExpr(expr, context);
  return expr.kind === 'mask' || expr.kind === 'compare' ? `(${text})` : text;
};

export const renderExpr = (expr: Expr, context: RenderContext): string => {
  switch (expr.kind) {
    case 'ret':
      if (context.kind === 'tracepoint') return `args${context.dialect.args}ret`;
      // A kretprobe's retval is the whole 64-bit register, whose upper half the x86-64 and arm64 ABIs leave
      // undefined for an int: cast back to 32 bits, as the helper's C does. A count (ssize_t) is cast to int64 too:
      // on Debian 12's 6.1, once a script cast retval anywhere, bpftrace 0.17 read a bare retval elsewhere as
      // unsigned (vfs_read's -EBADF counted as bytes, no error: the kernel matrix). fexit's retval has its BTF type.
      if (context.kind === 'kretprobe')
        return context.group.returns === 'pointer' ? 'retval' : context.group.returns === 'status' ? '(int32)retval' : '(int64)retval';
      if (context.kind === 'fexit') return 'retval';
      throw new MissingValue(`no return value at ${context.kind}`);
    case 'arg':
      return renderArg(expr.name, context);
    case 'member':
      return `${renderExpr(expr.of, context)}->${expr.field}`;
    case 'userU64':
      return `*(uint64 *)uptr(${renderExpr(expr.at, context)})`;
    case 'literal':
      return expr.value;
    case 'stash':
      if (!context.group.stash) throw new MissingValue('the group stashes nothing');
      return context.stashVariable ? '$stash' : wrap(renderExpr(context.group.stash, context));
    case 'var': {
      const value = context.group.vars[expr.name];
      if (value === undefined) throw new MissingValue(`variable ${expr.name} is not set`);
      return wrap(renderExpr(value, context));
    }
    case 'mask':
      return `${operand(expr.value, context)} & ${hex(expr.bits)}`;
    case 'compare':
      return `${operand(expr.left, context)} ${expr.op} ${operand(expr.right, context)}`;
    case 'not':
      return `!${wrap(renderExpr(expr.of, context))}`;
  }
};

/** Render `when` clauses: literal true clauses vanish; null means the update can never happen here. */
export const renderCondition = (clauses: readonly Expr[], context: RenderContext): string[] | null =>
  foldConstantClauses(clauses.map((clause) => unwrap(renderExpr(clause, context))));
