// SPDX-License-Identifier: GPL-3.0-or-later
// Which of the catalogue's kernel functions each workload call runs through, and why a call stops before
// one. Facts from the kernel sources (fs/open.c, fs/read_write.c, fs/namei.c, kernel/fork.c); see
// docs/attach-points.md. This is the selftest's own account, kept apart from the catalogue on purpose: it is
// the oracle the plan's attach points are checked against.
import type { CallKind, WorkloadCall } from './workload-report.js';

export interface KernelPath {
  /** Catalogue functions the call enters. */
  readonly functions: readonly string[];
  /** Why the call enters none of the functions its syscall normally reaches. */
  readonly stopsBefore?: string;
}

const openers = ['do_sys_open', 'do_sys_openat2'];
// close(2)'s worker by kernel: __close_fd < 5.11 <= close_fd < 6.6 <= close_fd_get_file < 6.8 <= file_close_fd.
const closers = ['__close_fd', 'close_fd', 'close_fd_get_file', 'file_close_fd'];
const cloners = ['kernel_clone', '_do_fork'];

const ioPath = (call: WorkloadCall, kind: CallKind): KernelPath => {
  const write = call.includes('write');
  const vectored = call.endsWith('v') || call.endsWith('v2');
  const target = `vfs_${write ? 'write' : 'read'}${vectored ? 'v' : ''}`;
  if (kind === 'fd_not_open') {
    return { functions: [], stopsBefore: `a call on a descriptor that is not open fails with EBADF at fd lookup, before ${target}` };
  }
  return { functions: [target] };
};

export const kernelPath = (call: WorkloadCall, kind: CallKind): KernelPath => {
  switch (call) {
    case 'open':
    case 'openat':
    case 'creat':
      // do_sys_open calls do_sys_openat2 from 5.6; before, it did the work itself.
      return { functions: openers };
    case 'openat2':
      return { functions: ['do_sys_openat2'] };
    case 'close':
      // The worker runs for a bad descriptor too and reports it (NULL or -EBADF).
      return { functions: closers };
    case 'unlink':
    case 'unlinkat':
      if (kind === 'missing') return { functions: [], stopsBefore: 'path lookup fails with ENOENT before vfs_unlink is called' };
      if (kind === 'rmdir') return { functions: ['vfs_rmdir'] };
      // EISDIR comes from vfs_unlink itself (may_delete).
      return { functions: ['vfs_unlink'] };
    case 'fork':
    case 'pthread_create':
      return { functions: [...cloners, 'wake_up_new_task'] };
    case 'clone':
      // copy_process, inside kernel_clone, refuses both flag combinations.
      return { functions: cloners };
    case 'clone3':
      return { functions: [], stopsBefore: 'clone3(2) refuses a clone_args smaller than 64 bytes before calling kernel_clone' };
    default:
      return ioPath(call, kind);
  }
};
