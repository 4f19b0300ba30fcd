// SPDX-License-Identifier: GPL-3.0-or-later
// A helper's last sample with every per-name map whole: past its first counter the helper prints only the names whose
// total changed, so every sample is read in order as it comes, each keyed map's entries carried over, until three
// samples were read after `ended()` (the first ones may have been printed in part before it).
import type { ResultPromise } from 'execa';
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

/** Each tracer's first sample read, then the workload (waiting on stdin) told to go: each tracer's last whole sample
 *  once the workload ended, in the tracers' order. */
export const samplesAcross = async (tracers: readonly RunningHelper[], workload: ResultPromise): Promise<Sample[]> => {
  await Promise.all(tracers.map((tracer) => tracer.nextSample()));
  let ended = false;
  const finals = Promise.all(tracers.map((tracer) => followed(tracer, () => ended)));
  workload.stdin!.end('go\n');
  await workload;
  ended = true;
  return finals;
};
