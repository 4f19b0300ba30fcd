// SPDX-License-Identifier: GPL-3.0-or-later
// Render the catalogue's expressions (src/plan/probe-expr.ts) as bpftrace at one read point; what each point can
// read is src/plan/readable-values.ts.
import type { ResolvedGroup } from '../../plan/plan-types.js';
import { foldConstantClauses, hex, unwrap, type ArgumentName, type Expr } from '../../plan/probe-expr.js';
import { boundStash, boundVariable, readArgument, readMember, readReturn, type ReadPoint } from '../../plan/readable-values.js';
import type { Dialect } from './dialect.js';

export interface RenderContext {
  readonly point: ReadPoint;
  readonly dialect: Dialect;
  readonly group: ResolvedGroup;
  /** The exit side reads the stash from a map into $stash; fexit and the entry side compute it in place. */
  readonly stashVariable: boolean;
}

const literal = (text: string): boolean => text === '0' || text === '1';
// Plain names and member chains (args->count, retval) need no parentheses; anything else gets them.
export const wrap = (text: string): string => (literal(text) || /^[$\w]+((->|\.)\w+)*$/.test(text) ? text : `(${unwrap(text)})`);

// bpftrace names trampoline arguments and tracepoint fields (syscall arguments included); registers go by index.
const renderArg = (name: ArgumentName, context: RenderContext): string => {
  const read = readArgument(context.point, context.group, name);
  if (read.access !== 'cast') return `args${context.dialect.args}${name}`;
  return read.declared.type ? `((${read.declared.type})arg${read.declared.index})` : `arg${read.declared.index}`;
};

// A kretprobe's retval is the whole 64-bit register, whose upper half the x86-64 and arm64 ABIs leave undefined for
// an int: cast back to 32 bits, as the helper's C does. A count (ssize_t) is cast to int64 too: on Debian 12's 6.1,
// once a script cast retval anywhere, bpftrace 0.17 read a bare retval elsewhere as unsigned (vfs_read's -EBADF
// counted as bytes, no error: the kernel matrix). fexit's retval has its BTF type.
const renderReturn = (context: RenderContext): string => {
  readReturn(context.point);
  if (context.point === 'syscall_exit') return `args${context.dialect.args}ret`;
  if (context.point === 'kretprobe')
    return context.group.returns === 'pointer' ? 'retval' : context.group.returns === 'status' ? '(int32)retval' : '(int64)retval';
  return 'retval';
};

// An operand that is itself an operation is parenthesized: "(args.flag & 0x200) == 0".
const operand = (expr: Expr, context: RenderContext): string => {
  const text = renderExpr(expr, context);
  return expr.kind === 'mask' || expr.kind === 'compare' ? `(${text})` : text;
};

export const renderExpr = (expr: Expr, context: RenderContext): string => {
  switch (expr.kind) {
    case 'ret':
      return renderReturn(context);
    case 'arg':
      return renderArg(expr.name, context);
    case 'member':
      readMember(context.point, context.group, expr.of, expr.field);
      return `${renderExpr(expr.of, context)}->${expr.field}`;
    case 'userU64':
      return `*(uint64 *)uptr(${renderExpr(expr.at, context)})`;
    case 'literal':
      return expr.value;
    case 'stash': {
      const stashed = boundStash(context.group);
      return context.stashVariable ? '$stash' : wrap(renderExpr(stashed, context));
    }
    case 'var':
      return wrap(renderExpr(boundVariable(context.group, expr.name), context));
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
