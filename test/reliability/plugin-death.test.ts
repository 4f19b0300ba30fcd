// SPDX-License-Identifier: GPL-3.0-or-later
// However the plugin ends (killed, told to stop, or Netdata closing its stdout), its backend ends with it and
// every BPF program it loaded is gone: no orphan bpftrace, no helper, no kprobe event left behind.
import test from 'ava';
import {
  attachedBackend,
  childPids,
  commOf,
  heldProgramIds,
  kprobeEvents,
  loadedProgramIds,
  startPlugin,
  waitFor,
  type PluginProcess,
} from './support/plugin-process.js';
import { isRunning } from '../../src/self-cost/proc-stat.js';

const backendNames = { bpftrace: ['bpftrace'], helper: ['ebpf-process-he'] } as const;
type Ending = 'SIGKILL' | 'SIGTERM' | 'SIGINT' | 'stdout closed';

// The backend is looked for once the first data block is out. Before it, the plugin gathers the kernel's facts,
// and `ebpf-process-helper --probe` (the helper's name) loads programs of its own and frees them at once: on a
// loaded machine it was once taken for the backend, and its programs were gone before bpftool listed them.
const firstData = (plugin: PluginProcess): Promise<void> =>
  waitFor(() => plugin.stdout().includes('BEGIN '), "the first data block on the plugin's stdout");

const endsCleanly = test.macro({
  async exec(t, backend: keyof typeof backendNames, ending: Ending) {
    const kprobesBefore = kprobeEvents();
    const plugin = startPlugin(['1', '--backend', backend]);
    await firstData(plugin);
    const pid = await attachedBackend(plugin.child.pid!, backendNames[backend]);
    const programs = heldProgramIds(pid);
    t.true((await loadedProgramIds()).has(programs[0]!), "bpftool lists the backend's programs while it runs");

    if (ending === 'stdout closed') plugin.child.stdout!.destroy();
    else plugin.child.kill(ending);
    await waitFor(() => !isRunning(pid), `the ${backend} backend to end after ${ending}`, 5_000);
    await plugin.child;

    // The kernel frees a program after its last reference goes and an RCU grace period passes: not at once.
    const stillLoaded = async () => {
      const loaded = await loadedProgramIds();
      return programs.filter((id) => loaded.has(id));
    };
    const deadline = Date.now() + 5_000;
    let left = await stillLoaded();
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = await stillLoaded();
    }
    t.deepEqual(left, [], 'no program of ours is still loaded 5 s after the backend ended');
    t.deepEqual(kprobeEvents(), kprobesBefore, 'no kprobe event left in tracefs');
    if (ending !== 'SIGKILL') t.notRegex(plugin.stderr(), /\n\s+at .*:\d+:\d+/, 'no stack trace');
  },
  title: (_title, backend, ending) => `the ${backend} backend and its programs are gone within 5 s of ${ending} of the plugin`,
});

for (const backend of ['bpftrace', 'helper'] as const) {
  for (const ending of ['SIGKILL', 'SIGTERM', 'SIGINT', 'stdout closed'] as const) test.serial(endsCleanly, backend, ending);
}

// Netdata SIGKILLed while another process still holds the read end of the plugin's stdout: no write fails, and the
// plugin must notice that its parent is gone (src/plugin/parent-watch.ts). A shell stands in for Netdata; this test
// keeps reading the pipe the plugin writes to.
test.serial('the bpftrace backend is gone within 10 s of the plugin losing its parent while its stdout stays open', async (t) => {
  const parent = startPlugin(['1', '--backend', 'bpftrace'], {}, ['/bin/sh', '-c', '"$@" & wait', 'sh']);
  const pluginUnder = (shell: number): number | undefined => childPids(shell).find((pid) => commOf(pid) === 'node');
  await waitFor(() => pluginUnder(parent.child.pid!) !== undefined, 'the plugin under its shell');
  const plugin = pluginUnder(parent.child.pid!)!;
  // Should the watch fail, the test does not leave the plugin behind (its backend dies with it: parent-death.ts).
  t.teardown(() => {
    if (isRunning(plugin)) process.kill(plugin, 'SIGKILL');
  });
  await firstData(parent);
  const backend = await attachedBackend(plugin, backendNames.bpftrace);
  parent.child.kill('SIGKILL');
  await waitFor(() => !isRunning(plugin) && !isRunning(backend), 'the plugin and bpftrace to end after their parent died', 10_000);
  t.regex(parent.stderr(), /our parent \(pid \d+, Netdata\) is gone; stopping/);
});
