// SPDX-License-Identifier: GPL-3.0-or-later
// A workload with a known ceiling: at most `perTick` open+close pairs every 50 ms. Prints its pid, runs until
// stdin closes, then prints how many opens it made.
import { closeSync, openSync } from 'node:fs';

const perTick = Number(process.argv[2] ?? 20);
let opens = 0;
process.stdout.write(`${process.pid}\n`);
const timer = setInterval(() => {
  for (let i = 0; i < perTick; i += 1) {
    closeSync(openSync('/dev/null', 'r'));
    opens += 1;
  }
}, 50);
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(timer);
  process.stdout.write(`${opens}\n`);
});
