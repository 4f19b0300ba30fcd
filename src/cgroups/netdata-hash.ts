// SPDX-License-Identifier: GPL-3.0-or-later
// libnetdata's simple_hash: 32-bit FNV-1a over the bytes, which cgroups.plugin stores beside each name it shares.

export const netdataSimpleHash = (text: string): number => {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = (Math.imul(hash, 16777619) ^ byte) >>> 0;
  return hash;
};
