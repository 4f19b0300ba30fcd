// SPDX-License-Identifier: GPL-3.0-or-later
// The real bpftrace builds the bench measures: the host's own, and each chroot build that
// scripts/bpftrace-matrix.sh finished (a `ready` stamp beside its wrapper). The plugin is pointed at one
// with a config file naming its path, as a user would (`bpftrace path`).
import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export interface BpftraceBuild {
  /** Major.minor, as the rows name it: "0.23". */
  readonly label: string;
  readonly path: string;
  /** What `--version` printed: "bpftrace v0.23.2". */
  readonly version: string;
  /** A config file for the plugin: `backend = bpftrace`, `bpftrace path` = this build. */
  readonly configPath: string;
}

const cache = process.env.EBPF_PROCESS_BPFTRACE_CACHE ?? '/var/cache/ebpf-process/bpftrace';

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

const hostBpftrace = async (): Promise<string | undefined> => {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (await exists(join(dir, 'bpftrace'))) return join(dir, 'bpftrace');
  }
  return undefined;
};

const chrootBuilds = async (): Promise<string[]> => {
  const suites = await readdir(cache).catch(() => []);
  const ready = await Promise.all(
    suites.map(async (suite) => ((await exists(join(cache, suite, 'ready'))) ? [join(cache, suite, 'bpftrace')] : [])),
  );
  return ready.flat();
};

/** Every build found, oldest version first; config files are written into `dir`. */
export const findBpftraceBuilds = async (dir: string): Promise<BpftraceBuild[]> => {
  const host = await hostBpftrace();
  const paths = [...(host ? [host] : []), ...(await chrootBuilds())];
  const builds = await Promise.all(
    paths.map(async (path, index) => {
      const version = (await execa(path, ['--version'])).stdout.trim();
      const [major = '0', minor = '0'] = /v?(\d+)\.(\d+)/.exec(version)?.slice(1) ?? [];
      const configPath = join(dir, `bpftrace-${index}.conf`);
      await writeFile(configPath, `[global]\n    backend = bpftrace\n    bpftrace path = ${path}\n`);
      return { label: `${major}.${minor}`, path, version, configPath };
    }),
  );
  const order = (build: BpftraceBuild) => build.label.split('.').reduce((sum, part) => sum * 1000 + Number(part), 0);
  return builds.sort((a, b) => order(a) - order(b));
};
