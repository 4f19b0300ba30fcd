// SPDX-License-Identifier: GPL-3.0-or-later
// A helper's last sample with every per-name map whole: past its first counter the helper prints only the names whose
// total changed, so every sample is read in order as it comes, each keyed map's entries carried over, until three
// samples were read after `ended()` (the first ones may have been printed in part before it).
import type { RunningHelper, Sample } from '../../../helpers/backend-process.js';

export const followed = async (tracer: RunningHelper, ended: () => boolean): Promise<Sample> => {
  const keyed: Record<string, Record<string, number>> = {};
  let sample: Sample = {};
  for (let after = 0; after < 3; ) {
    sample = await tracer.nextSample();
    if (ended()) after++;
    for (const [map, value] of Object.entries(sample))
      if (map.endsWith('__comm')) keyed[map] = { ...keyed[map], ...(value as unknown as Record<string, number>) };
  }
  return { ...sample, ...(keyed as unknown as Sample) };
};
