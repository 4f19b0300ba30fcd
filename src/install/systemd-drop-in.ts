// SPDX-License-Identifier: GPL-3.0-or-later
// Debian's netdata.service sets CapabilityBoundingSet, which caps what any file capability can grant to
// the processes it starts. This drop-in adds the helper's capabilities to that bound (systemd merges
// repeated CapabilityBoundingSet= lines); it grants nothing by itself.
import { helperCapabilities } from './capabilities.js';

export const renderDropIn = (): string =>
  [
    '# Installed by `ebpf-process install`; removed by `ebpf-process uninstall`.',
    "# Lets the ebpf_process plugin's private helper keep its file capabilities under netdata.service.",
    '[Service]',
    `CapabilityBoundingSet=${helperCapabilities.map((name) => name.toUpperCase()).join(' ')}`,
    '',
  ].join('\n');
