// SPDX-License-Identifier: GPL-3.0-or-later
// Netdata's DISABLE: the plugin gives up for good (Netdata will not restart it). The one place that sends it.
import type { ProtocolOutput } from './output-stream.js';

/** Says why on stderr (Netdata logs it), sends DISABLE and returns the plugin's exit code. */
export const disablePlugin = (output: ProtocolOutput, log: (message: string) => void, why: string): number => {
  log(why);
  output.write(['DISABLE']);
  return 1;
};
