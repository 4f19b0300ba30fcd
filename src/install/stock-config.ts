// SPDX-License-Identifier: GPL-3.0-or-later
// The stock ebpf_process.conf as installed: the package's file with the backend pointed at the private helper.
// Users override it in $NETDATA_USER_CONFIG_DIR/ebpf_process.conf; this copy belongs to the install.
import { readOption, setOption } from './ini-lines.js';

export const backendOption = { section: 'global', backend: 'backend', helperPath: 'helper path' } as const;

// bpftrace 0.17-0.24 refuses to run unless its euid is 0, so as the netdata user only the helper can work.
export const renderStockConfig = (packaged: string, helperPath: string): string =>
  setOption(
    setOption(packaged, backendOption.section, backendOption.backend, 'helper'),
    backendOption.section,
    backendOption.helperPath,
    helperPath,
  );

export const configuredHelper = (installed: string): string | undefined =>
  readOption(installed, backendOption.section, backendOption.helperPath);
