// SPDX-License-Identifier: GPL-3.0-or-later
// libnetdata's simple_hash, which cgroups.plugin stores beside each name it shares: 32-bit FNV over the bytes,
// multiplying before the xor (FNV-1 order, although its comment says FNV-1a).

export const netdataSimpleHash = (text: string): number => {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = (Math.imul(hash, 16777619) ^ byte) >>> 0;
  return hash;
};
