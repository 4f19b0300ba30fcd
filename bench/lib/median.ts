// SPDX-License-Identifier: GPL-3.0-or-later
// Medians: every figure of the bench is the median of interleaved runs, robust to a noisy neighbour.

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
