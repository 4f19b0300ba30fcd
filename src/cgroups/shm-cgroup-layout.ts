// SPDX-License-Identifier: GPL-3.0-or-later
// The layout of Netdata's shared memory `netdata_shm_cgroup_ebpf` (cgroups.plugin sys_fs_cgroup.h, 64-bit
// Linux), decoded from bytes. Header: int cgroup_root_count, int cgroup_max, int systemd_enabled, int pad,
// size_t body_length (the whole segment's size); then cgroup_max records of: char name[256], uint32 hash,
// uint32 options, int enabled, char path[FILENAME_MAX + 1 = 4097], padded to 4 bytes.
import { netdataSimpleHash } from './netdata-hash.js';

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
