// SPDX-License-Identifier: GPL-3.0-or-later
// apps = yes as apps.plugin groups tasks: a task whose own name matches no apps_groups.conf name counts in its
// nearest matching ancestor's group. The helper decides it in the kernel, at fork and at a rename (exec, prctl),
// from the names given at start (bpf-fallback/process.bpf.c, inherited_apps); bpftrace keeps plain per-comm counts.
import { helperMaps, taskCommLength } from '../limits.js';
import type { AppName } from './counter-keys.js';
import type { AppInheritance, Backend } from './plan-types.js';

export const chooseAppInheritance = (backend: Backend, names: readonly AppName[]): AppInheritance => {
  if (backend === 'bpftrace')
    return {
      names: [],
      reason:
        'bpftrace counts per task name: 0.17 and 0.23 cannot index a name to match suffix and substring names in the ' +
        'kernel, so a task whose own name matches no group is in `other` (docs/apps.md)',
    };
  // src/apps/ fits every name to comm's 15 characters; the kernel's bound is far above the stock file's ~500.
  const fitting = names.filter(({ text }) => text.length > 0 && Buffer.byteLength(text) < taskCommLength && !text.includes('\0'));
  const kept = fitting.slice(0, helperMaps.appNames);
  return {
    names: kept,
    reason:
      (kept.length < fitting.length ? `only the first ${kept.length} of ${fitting.length} names are matched in the kernel; ` : '') +
      "decided in the kernel when a task is made (it takes its parent's) and renamed (exec, prctl), kept per thread id " +
      'in a hash the release reads too (the raw release has no task pointer to read task local storage with); ' +
      'never per event with task local storage, one lookup per event with the per-CPU hashes',
  };
};
