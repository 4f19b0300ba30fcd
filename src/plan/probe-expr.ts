// SPDX-License-Identifier: GPL-3.0-or-later
// The expressions a probe definition counts with: the return value, an argument or tracepoint field, a member
// of a kernel struct, a flag test. The catalogue builds them once; each backend renders them in its language
// (src/backend/bpftrace/render-expr.ts, src/backend/helper/c-sources/render-c-expr.ts) and the selftest
// evaluates them for the calls its workload made (src/selftest/evaluate-updates.ts); what each attach point can
// read is stated once, in readable-values.ts.

export type Comparison = '<' | '>' | '==' | '!=';

/** The group variables the catalogue names: the bytes asked for, whether a new task is a thread, whether an unlink
 *  removes a file, the task a release is about, and what failure looks like (catalogue.ts, defaultVars). */
export const variableNames = ['requested', 'isThread', 'isFile', 'subject', 'failed'] as const;
export type VariableName = (typeof variableNames)[number];

/** The arguments and tracepoint fields the catalogue reads: read's count, unlinkat's flag, a task (`p`, the raw
 *  release's `task`), kernel_clone's args, clone's flags, clone3's user struct, a task event's pid. */
export const argumentNames = ['count', 'flag', 'p', 'task', 'args', 'clone_flags', 'uargs', 'pid'] as const;
export type ArgumentName = (typeof argumentNames)[number];

export type Expr =
  | { readonly kind: 'ret' }
  /** A function argument (its index and type are the group's `args`) or a tracepoint field. */
  | { readonly kind: 'arg'; readonly name: ArgumentName }
  /** A member of the kernel struct a typed argument points to (read through BTF / CO-RE). */
  | { readonly kind: 'member'; readonly of: Expr; readonly field: string }
  /** The u64 at the start of a user-space buffer (clone3's struct clone_args begins with its flags). */
  | { readonly kind: 'userU64'; readonly at: Expr }
  | { readonly kind: 'literal'; readonly value: string }
  /** The group's stash: computed at entry, read back at exit (src/plan/catalogue-types.ts). */
  | { readonly kind: 'stash' }
  /** A variable of the group (requested, isThread, isFile, subject, failed). */
  | { readonly kind: 'var'; readonly name: VariableName }
  | { readonly kind: 'mask'; readonly value: Expr; readonly bits: number }
  | { readonly kind: 'compare'; readonly op: Comparison; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly of: Expr };

export const ret: Expr = { kind: 'ret' };
export const stash: Expr = { kind: 'stash' };
export const arg = (name: ArgumentName): Expr => ({ kind: 'arg', name });
export const member = (of: Expr, field: string): Expr => ({ kind: 'member', of, field });
export const userU64 = (at: Expr): Expr => ({ kind: 'userU64', at });
export const literal = (value: 0 | 1 | string): Expr => ({ kind: 'literal', value: String(value) });
export const variable = (name: VariableName): Expr => ({ kind: 'var', name });
export const not = (of: Expr): Expr => ({ kind: 'not', of });
export const compare = (left: Expr, op: Comparison, right: Expr | number): Expr => ({
  kind: 'compare',
  op,
  left,
  right: typeof right === 'number' ? literal(String(right)) : right,
});
/** Whether any of `bits` is set in `value`. */
export const flagSet = (value: Expr, bits: number): Expr => compare({ kind: 'mask', value, bits }, '!=', 0);
export const flagClear = (value: Expr, bits: number): Expr => compare({ kind: 'mask', value, bits }, '==', 0);

/** Flag bits are written in hex in both backends' text, as the kernel headers write them. */
export const hex = (bits: number): string => `0x${bits.toString(16)}`;

// "(a) != 0" is two groups, not one: only strip parentheses that enclose the whole text.
/** Rendered text without the parentheses that enclose all of it (both backends parenthesize compound operands). */
export const unwrap = (text: string): string => {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let index = 0; index < text.length - 1; index += 1) {
    depth += text[index] === '(' ? 1 : text[index] === ')' ? -1 : 0;
    if (depth === 0) return text;
  }
  return text.slice(1, -1);
};

/** Rendered conditions (either backend renders a literal as itself): the always true vanish, and null says one
 *  can never hold, so the update is not made at that attach point (fork(2) asks for no thread). */
export const foldConstantClauses = (rendered: readonly string[]): string[] | null => {
  if (rendered.some((clause) => clause === '0' || clause === '!1')) return null;
  return rendered.filter((clause) => clause !== '1' && clause !== '!0');
};
