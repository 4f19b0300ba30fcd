// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's command line for a plan. Every value is checked here, and again by the helper itself.
import { commPattern, commRule, helperIntervalMs, pidMaxLimit } from '../../limits.js';
import { counterIds } from '../../plan/counters.js';
import { collectedCounters } from '../../plan/plan-probes.js';
import type { Plan } from '../../plan/plan-types.js';
import type { AppName, AppNameKind } from '../../plan/counter-keys.js';
import { helperPrograms } from './helper-programs.js';
import { filterHookPrograms } from './program-names.js';
import { helperPath } from './locate-helper.js';

export { locateConfiguredHelper, locateHelper } from './locate-helper.js';

export interface HelperOptions {
  readonly intervalMs: number;
  /** Count only this process and the tasks it creates; default: the plan's filter. */
  readonly pid?: number;
  /** Count only tasks with this name (src/limits.ts says which); default: the plan's filter. */
  readonly comm?: string;
  /** The helper binary; default: the one built for this machine inside the package. */
  readonly file?: string;
  /** A minimal BTF made for this kernel and this helper (min-btf.ts); default: the kernel's own BTF. */
  readonly btf?: string;
  /** Self monitoring: the helper turns on the kernel's run-time statistics and prints its programs' (prog_stats). */
  readonly selfStats?: boolean;
}

const functionName = /^[A-Za-z_][\w.]{0,126}$/;
const tracepointName = /^[a-z0-9_]+:[a-z0-9_]+$/;

const describe = (value: unknown): string => `\`${String(value)}\` (${typeof value})`;
// What findMinBtf builds from a helper path of plain characters (the config's `helper path` rule).
const btfFile = /^\/[A-Za-z0-9_./+-]{1,4090}\.btf$/;

const checkOptions = (options: HelperOptions): void => {
  const { intervalMs, pid, comm, btf } = options;
  if (!Number.isInteger(intervalMs) || intervalMs < helperIntervalMs.min || intervalMs > helperIntervalMs.max) {
    throw new RangeError(
      `Expected \`intervalMs\` to be an integer ${helperIntervalMs.min}-${helperIntervalMs.max}, got ${describe(intervalMs)}`,
    );
  }
  if (pid !== undefined && (!Number.isInteger(pid) || pid < 1 || pid > pidMaxLimit)) {
    throw new RangeError(`Expected \`pid\` to be a process id (integer 1-${pidMaxLimit}), got ${describe(pid)}`);
  }
  if (comm !== undefined && (typeof comm !== 'string' || !commPattern.test(comm))) {
    throw new RangeError(`Expected \`comm\` to be ${commRule}, got ${describe(JSON.stringify(comm))}; use the name \`ps -o comm\` shows`);
  }
  if (btf !== undefined && (typeof btf !== 'string' || !btfFile.test(btf) || btf.split('/').includes('..'))) {
    throw new RangeError(`Expected \`btf\` to be an absolute path of plain characters ending in .btf, got ${describe(btf)}`);
  }
};

const checkTarget = (program: string, target: string): string => {
  if (functionName.test(target) || tracepointName.test(target)) return target;
  throw new RangeError(
    `The plan gives ${program} the target ${JSON.stringify(target)}, which is ` +
      `neither a kernel function nor subsystem:event: re-gather the kernel facts`,
  );
};

// The helper's --pid hooks are its own programs on fixed events: a plan must ask for those.
const checkFilterHooks = (plan: Plan): void => {
  for (const role of ['follow', 'drop'] as const) {
    const asked = plan.filterHooks?.[role]?.event;
    if (asked !== undefined && asked !== filterHookPrograms[role].event) {
      throw new Error(
        `The plan has --pid ${role} on ${asked}; the helper's ${filterHookPrograms[role].program} hooks ` +
          `${filterHookPrograms[role].event} only (bpf-fallback/attach.c): plan with src/plan/task-filter.ts`,
      );
    }
  }
};

const appKindLetter: Readonly<Record<AppNameKind, string>> = { exact: 'e', prefix: 'p', suffix: 's', substring: 'i' };

// --app-names: each name's bytes in hex, so that a name with spaces, colons or commas passes as one value.
export const appNamesArgument = (names: readonly AppName[]): string =>
  names.map(({ kind, text }) => `${appKindLetter[kind]}:${Buffer.from(text, 'utf8').toString('hex')}`).join(',');

export const helperCommand = (plan: Plan, given: HelperOptions): { file: string; args: string[] } => {
  const options = { ...given, pid: given.pid ?? plan.filter?.pid, comm: given.comm ?? plan.filter?.comm };
  checkOptions(options);
  checkFilterHooks(plan);
  const requests = helperPrograms(plan);
  if (requests.length === 0)
    throw new Error("The plan attaches no probe, so the helper has nothing to count: see the plan's rejection reasons");
  const collected = collectedCounters(plan);
  return {
    file: options.file ?? helperPath(),
    args: [
      '--interval-ms',
      String(options.intervalMs),
      ...(options.pid === undefined ? [] : ['--pid', String(options.pid)]),
      ...(options.comm === undefined ? [] : ['--comm', options.comm]),
      ...(options.btf === undefined ? [] : ['--btf', options.btf]),
      ...(options.selfStats ? ['--self-stats'] : []),
      // Entries were checked with the plan (checkKeyTables).
      ...(plan.keys ?? []).flatMap(({ key, entries }) => [`--per-${key}`, String(entries)]),
      ...(plan.keys?.length && plan.keyStore?.store === 'hash' ? ['--hash-keys'] : []),
      ...(plan.appInheritance?.names.length ? ['--app-names', appNamesArgument(plan.appInheritance.names)] : []),
      '--counters',
      counterIds.filter((id) => collected.has(id)).join(','),
      ...requests.map(({ program, targets }) => `${program}=${targets.map((target) => checkTarget(program, target)).join(',')}`),
    ],
  };
};
