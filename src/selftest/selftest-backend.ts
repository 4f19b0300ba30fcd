// SPDX-License-Identifier: GPL-3.0-or-later
// The backend a selftest tests. The plugin falls back from a backend that cannot run; selftest must not: asked for
// one backend, it tests that one or says why it cannot (the kernel matrix's bpftrace 0.23/0.27 cells once tested
// the helper instead, their bpftrace having been too slow to print its version).
import type { BackendAvailability } from '../backend/backend-order.js';
import type { BackendChoice } from '../config/defaults.js';
import { failure, success, type Outcome } from '../outcome.js';

export const selftestBackend = (
  choice: BackendChoice,
  availability: readonly BackendAvailability[],
  usable: readonly BackendAvailability[],
): Outcome<BackendAvailability> => {
  const asked = choice === 'auto' ? undefined : availability.find((entry) => entry.backend === choice);
  if (asked && !asked.available)
    return failure(`--backend ${choice} cannot run here: ${asked.detail} (selftest tests the backend asked for, never another)`);
  const [chosen] = usable;
  return chosen ? success(chosen) : failure('no backend can run here: see `ebpf-process check`');
};
