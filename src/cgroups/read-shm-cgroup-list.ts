// SPDX-License-Identifier: GPL-3.0-or-later
// Read Netdata's shared cgroup list. cgroups.plugin rewrites it under a POSIX semaphore node cannot take, so a
// read may catch a record half-written: each record's hash shows it, and the read is repeated a few times.
import { open } from 'node:fs/promises';
import {
  decodeShmHeader,
  decodeShmRecord,
  shmHeaderBytes,
  shmRecordBytes,
  ShmFormatError,
  type ShmCgroupRecord,
} from './shm-cgroup-layout.js';

export const netdataCgroupListFile = '/dev/shm/netdata_shm_cgroup_ebpf';
const attempts = 3;

export interface ShmCgroupList {
  readonly systemdEnabled: boolean;
  readonly records: readonly ShmCgroupRecord[];
}

/** absent: no Netdata cgroups.plugin shares a list here (or a Netdata that shares it another way: docs/cgroups.md). */
export type ShmCgroupListResult =
  | { readonly kind: 'absent' }
  | { readonly kind: 'list'; readonly list: ShmCgroupList }
  | { readonly kind: 'unusable'; readonly problem: string };

const readOnce = async (file: string): Promise<ShmCgroupList> => {
  const handle = await open(file, 'r');
  try {
    const start = await handle.read(Buffer.alloc(shmHeaderBytes), 0, shmHeaderBytes, 0);
    const header = decodeShmHeader(start.buffer.subarray(0, start.bytesRead));
    const body = Buffer.alloc(header.count * shmRecordBytes);
    const { bytesRead } = await handle.read(body, 0, body.length, shmHeaderBytes);
    if (bytesRead < body.length)
      throw new ShmFormatError(`the file ends inside record ${Math.floor(bytesRead / shmRecordBytes) + 1} of ${header.count}`);
    const records = Array.from({ length: header.count }, (_, index) =>
      decodeShmRecord(body.subarray(index * shmRecordBytes, (index + 1) * shmRecordBytes)),
    );
    return { systemdEnabled: header.systemdEnabled, records };
  } finally {
    await handle.close();
  }
};

const problem = (file: string, cause: string, fix: string): ShmCgroupListResult => ({
  kind: 'unusable',
  problem: `cgroups: Netdata's cgroup list ${file} ${cause}; cgroups are named from their paths instead. Fix: ${fix}`,
});

export const readShmCgroupList = async (file = netdataCgroupListFile): Promise<ShmCgroupListResult> => {
  let lastFormatError: ShmFormatError | undefined;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return { kind: 'list', list: await readOnce(file) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'absent' };
      if (code === 'EACCES' || code === 'EPERM') {
        return problem(
          file,
          'cannot be read (permission denied)',
          "run the plugin as Netdata's user or group (the segment is mode 0660), as Netdata does.",
        );
      }
      if (!(error instanceof ShmFormatError))
        return problem(file, `cannot be read (${(error as Error).message})`, 'check that /dev/shm is mounted and readable.');
      lastFormatError = error;
    }
  }
  return problem(
    file,
    `is not in the layout this plugin reads (${lastFormatError!.message})`,
    'update the plugin, or report your Netdata version to its maintainers.',
  );
};
