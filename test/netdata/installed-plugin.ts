// SPDX-License-Identifier: GPL-3.0-or-later
// The plugin as the end-to-end tests run it: installed with `install` into a private agent root, run by
// a root Netdata with bpftrace.
import type { AgentDirs } from '../helpers/netdata-agent.js';
import { install } from '../../src/install/install.js';

/** An AgentOptions.prepare: the real install, into the agent's private directories. */
export const installInto = async (dirs: AgentDirs): Promise<void> => {
  await install({
    paths: { pluginsDir: dirs.plugins, stockConfigDir: dirs.stockConfig, netdataConf: dirs.netdataConf, systemdDropInDir: null },
  });
};

// Root can run bpftrace 0.17; the install's stock config selects the helper for the netdata user.
export const bpftraceAsRoot = { 'ebpf_process.conf': '[global]\n\tbackend = bpftrace\n' };
