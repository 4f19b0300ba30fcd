// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's shared cgroup list (/dev/shm/netdata_shm_cgroup_ebpf): its binary layout, and reading it whole.
import { netdataSimpleHash } from './netdata-names.js';
import { open } from 'node:fs/promises';

// The layout of Netdata's shared memory `netdata_shm_cgroup_ebpf` (cgroups.plugin sys_fs_cgroup.h, 64-bit
// Linux), decoded from bytes. Header: int cgroup_root_count, int cgroup_max, int systemd_enabled, int pad,
// size_t body_length (the whole segment's size); then cgroup_max records of: char name[256], uint32 hash,
// uint32 options, int enabled, char path[FILENAME_MAX + 1 = 4097], padded to 4 bytes.
export const shmHeaderBytes = 24;
const nameBytes = 256;
const pathBytes = 4097;
const pathOffset = nameBytes + 12;
export const shmRecordBytes = Math.ceil((pathOffset + pathBytes) / 4) * 4;
/** CGROUP_OPTIONS_SYSTEM_SLICE_SERVICE: cgroups.plugin shows this cgroup as a systemd service. */
export const systemdServiceOption = 1 << 1;

export interface ShmHeader {
  readonly count: number;
  readonly max: number;
  readonly systemdEnabled: boolean;
  readonly segmentBytes: bigint;
}

export interface ShmCgroupRecord {
  /** `cgroup_<chart id>` or `systemd_<chart id>`, as Netdata names the charts' type or dimension. */
  readonly name: string;
  readonly options: number;
  readonly enabled: boolean;
  /** The cgroup's cgroup.procs file, under the v2 mount or one of the v1 mounts; empty when it had none. */
  readonly procsPath: string;
}

export class ShmFormatError extends Error {}

export const decodeShmHeader = (bytes: Buffer): ShmHeader => {
  if (bytes.length < shmHeaderBytes) throw new ShmFormatError(`${bytes.length} bytes is shorter than its ${shmHeaderBytes}-byte header`);
  const header = {
    count: bytes.readInt32LE(0),
    max: bytes.readInt32LE(4),
    systemdEnabled: bytes.readInt32LE(8) !== 0,
    segmentBytes: bytes.readBigUInt64LE(16),
  };
  if (header.max <= 0 || header.count < 0 || header.count > header.max) {
    throw new ShmFormatError(`header says ${header.count} cgroups of at most ${header.max}`);
  }
  if (header.segmentBytes < BigInt(shmHeaderBytes + header.max * shmRecordBytes)) {
    throw new ShmFormatError(
      `header says ${header.segmentBytes} bytes, too few for ${header.max} records of ${shmRecordBytes} bytes (another Netdata version?)`,
    );
  }
  return header;
};

const cString = (bytes: Buffer, field: string): string => {
  const end = bytes.indexOf(0);
  if (end < 0) throw new ShmFormatError(`a ${field} is not NUL-terminated`);
  return bytes.subarray(0, end).toString('utf8');
};

/** One record; its stored hash must be simple_hash(name), which also catches a record read while being written. */
export const decodeShmRecord = (bytes: Buffer): ShmCgroupRecord => {
  const name = cString(bytes.subarray(0, nameBytes), 'name');
  const hash = bytes.readUInt32LE(nameBytes);
  if (hash !== netdataSimpleHash(name)) throw new ShmFormatError(`the hash of \`${name.slice(0, 60)}\` does not match its name`);
  return {
    name,
    options: bytes.readUInt32LE(nameBytes + 4),
    enabled: bytes.readInt32LE(nameBytes + 8) !== 0,
    procsPath: cString(bytes.subarray(pathOffset, pathOffset + pathBytes), 'path'),
  };
};

// Read Netdata's shared cgroup list. cgroups.plugin rewrites it under a POSIX semaphore node cannot take, so a
// read may catch a record half-written: each record's hash shows it, and the read is repeated a few times.
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
