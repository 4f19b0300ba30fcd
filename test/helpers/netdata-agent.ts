// SPDX-License-Identifier: GPL-3.0-or-later
// A real Netdata agent (Debian's package) in a private temporary root: own config, plugins, cache and
// log directories, bound to 127.0.0.1 on a free port, every built-in collector off. Netdata binds with
// SO_REUSEPORT, so start() proves the port is ours: the listening socket must be one of our pid's fds
// and /api/v1/info must report our unique hostname. stop()/kill() always end Netdata and anything it
// started, and report what outlived it.
import type { ExecutionContext } from 'ava';
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type IniSections = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface AgentOptions {
  /** Plugins to run: name (as in `[plugins] <name> = yes`) -> executable, linked in as `<name>.plugin`. */
  readonly plugins?: Readonly<Record<string, string>>;
  /** netdata.conf sections, merged over the private defaults below. */
  readonly config?: IniSections;
  /** Extra files in the config directory, e.g. stream.conf or ebpf_process.conf. */
  readonly files?: Readonly<Record<string, string>>;
  /** Netdata drops to this user before starting plugins (it starts as root either way). */
  readonly runAsUser?: 'root' | 'netdata';
  /** Runs after the directories exist and before Netdata starts, e.g. to install into them. */
  readonly prepare?: (dirs: AgentDirs) => Promise<void>;
}

export interface AgentDirs {
  readonly root: string;
  readonly config: string;
  readonly stockConfig: string;
  readonly plugins: string;
  readonly log: string;
  readonly netdataConf: string;
}

export interface ProcessInfo {
  readonly pid: number;
  readonly command: string;
}

export interface StopReport {
  /** Processes Netdata started that were still alive after it exited (they have been killed since). */
  readonly leftovers: readonly ProcessInfo[];
}

export interface Agent {
  readonly port: number;
  readonly pid: number;
  readonly hostname: string;
  readonly dirs: AgentDirs;
  /** GET a path of the REST API and parse the JSON. */
  api<T = unknown>(path: string): Promise<T>;
  /** Live processes started by this agent (plugins and their children), found by Netdata's environment. */
  processes(): ProcessInfo[];
  /** The last lines of Netdata's error.log, for failure messages. */
  logTail(lines?: number): Promise<string>;
  /** SIGTERM, as a service manager stops Netdata. */
  stop(): Promise<StopReport>;
  /** SIGKILL: Netdata dies without shutting its plugins down; they must notice on their own. */
  kill(): Promise<StopReport>;
}

/** What the tests read from an agent: its REST API, under its hostname. */
export type AgentApi = Pick<Agent, 'hostname' | 'api' | 'logTail'>;

// Generous bounds for things that happen eventually; only exceeded when something is broken.
const startupDeadlineMs = 60_000;
const exitDeadlineMs = 30_000;

const sleep = async (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Polls `probe` until it returns a value other than undefined; throws `describe()` after `deadlineMs`. */
export const waitFor = async <T>(
  probe: () => Promise<T | undefined>,
  describe: () => Promise<string> | string,
  deadlineMs = startupDeadlineMs,
): Promise<T> => {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(await describe());
    await sleep(250);
  }
};

const freePort = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const renderIni = (sections: IniSections): string =>
  `${Object.entries(sections)
    .map(([name, options]) => [`[${name}]`, ...Object.entries(options).map(([key, value]) => `\t${key} = ${value}`)].join('\n'))
    .join('\n\n')}\n`;

const mergeSections = (base: IniSections, extra: IniSections = {}): IniSections =>
  Object.fromEntries([...new Set([...Object.keys(base), ...Object.keys(extra)])].map((name) => [name, { ...base[name], ...extra[name] }]));

// Every collector built into Debian's 1.37 off, so only the plugins under test produce charts.
const builtinCollectorsOff = Object.fromEntries(
  [
    'proc',
    'diskspace',
    'cgroups',
    'tc',
    'idlejitter',
    'timex',
    'statsd',
    'checks',
    'apps',
    'charts.d',
    'python.d',
    'go.d',
    'fping',
    'ioping',
    'perf',
    'slabinfo',
    'nfacct',
    'cups',
    'ebpf',
    'netdata monitoring',
  ].map((name) => [name, 'no']),
);

const defaultConfig = (dirs: AgentDirs, port: number, hostname: string, user: string): IniSections => ({
  global: { 'run as user': user, hostname },
  db: { mode: 'ram', 'update every': '1' },
  directories: {
    config: dirs.config,
    'stock config': dirs.stockConfig,
    plugins: dirs.plugins,
    log: dirs.log,
    cache: join(dirs.root, 'cache'),
    lib: join(dirs.root, 'lib'),
    lock: join(dirs.root, 'lock'),
    home: dirs.root,
    web: '/usr/share/netdata/web',
  },
  logs: { error: join(dirs.log, 'error.log'), access: 'none', debug: 'none' },
  web: { 'bind to': `127.0.0.1:${port}` },
  health: { enabled: 'no' },
  ml: { enabled: 'no' },
  registry: { enabled: 'no' },
  plugins: { 'enable running new plugins': 'no', ...builtinCollectorsOff },
});

// Sockets listening on 127.0.0.1:port, by inode, from /proc/net/tcp (state 0A = LISTEN).
const listeningInodes = (port: number): string[] =>
  readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1] === `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}` && fields[3] === '0A')
    .map((fields) => fields[9] ?? '');

const socketInodesOf = (pid: number): Set<string> => {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const target = (() => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })();
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  return inodes;
};

const readProc = (pid: string, file: string): string => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};

// Netdata exports NETDATA_HOSTNAME to every plugin it starts, and children inherit it: a unique hostname
// finds them even after Netdata died and they were re-parented.
const processesTagged = (hostname: string, exceptPid: number): ProcessInfo[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== exceptPid)
    .filter((pid) => readProc(pid, 'environ').split('\0').includes(`NETDATA_HOSTNAME=${hostname}`))
    .map((pid) => ({ pid: Number(pid), command: readProc(pid, 'cmdline').split('\0').join(' ').trim() }))
    .filter((info) => info.command !== '');

const liveAgents = new Map<number, string>();
// Last resort if a test process exits with agents still running (ava worker crash, unhandled error).
process.once('exit', () => {
  for (const [pid, hostname] of liveAgents) {
    for (const target of [pid, ...processesTagged(hostname, pid).map((info) => info.pid)]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
});

// Debian's netdata-core ships it; a packaged agent finds it in its plugins directory.
const debianSystemInfo = '/usr/lib/netdata/plugins.d/system-info.sh';

const makeDirs = async (runAsUser: string): Promise<AgentDirs> => {
  const root = await mkdtemp(join(tmpdir(), 'netdata-agent-'));
  const dirs: AgentDirs = {
    root,
    config: join(root, 'etc'),
    stockConfig: join(root, 'conf.d'),
    plugins: join(root, 'plugins.d'),
    log: join(root, 'log'),
    netdataConf: join(root, 'etc', 'netdata.conf'),
  };
  await execa('chmod', ['0755', root]);
  for (const dir of [dirs.config, dirs.stockConfig, dirs.plugins]) await mkdir(dir, { mode: 0o755 });
  // Netdata writes these after it dropped to its user.
  const { uid, gid } = runAsUser === 'root' ? { uid: 0, gid: 0 } : await userIds(runAsUser);
  for (const name of ['log', 'cache', 'lib', 'lock']) {
    await mkdir(join(root, name), { mode: 0o755 });
    await chown(join(root, name), uid, gid);
  }
  await writeFile(join(dirs.config, '.opt-out-from-anonymous-statistics'), '');
  // Netdata runs system-info.sh from its plugins directory. Without it 1.37.1's stream sender frees a
  // string literal in place of the missing OS fields and aborts (munmap_chunk) on connecting to a parent.
  await symlink(debianSystemInfo, join(dirs.plugins, 'system-info.sh'));
  return dirs;
};

const userIds = async (user: string): Promise<{ uid: number; gid: number }> => {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((entry) => entry.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`User ${user} does not exist: install Debian's netdata package first.`);
  return { uid: Number(uid), gid: Number(gid) };
};

export const start = async (options: AgentOptions = {}): Promise<Agent> => {
  const runAsUser = options.runAsUser ?? 'root';
  const dirs = await makeDirs(runAsUser);
  const hostname = `ebpf-test-${randomBytes(6).toString('hex')}`;
  const port = await freePort();
  const enabled = Object.fromEntries(Object.keys(options.plugins ?? {}).map((name) => [name, 'yes']));
  const config = mergeSections(mergeSections(defaultConfig(dirs, port, hostname, runAsUser), { plugins: enabled }), options.config);
  try {
    await writeFile(dirs.netdataConf, renderIni(config));
    for (const [name, executable] of Object.entries(options.plugins ?? {})) await symlink(executable, join(dirs.plugins, `${name}.plugin`));
    for (const [name, text] of Object.entries(options.files ?? {})) await writeFile(join(dirs.config, name), text);
    await options.prepare?.(dirs);
  } catch (error) {
    // Nothing runs yet (e.g. a failed install): the private root is all there is to remove.
    await rm(dirs.root, { recursive: true, force: true });
    throw error;
  }

  const logTail = async (lines = 40): Promise<string> =>
    (await readFile(join(dirs.log, 'error.log'), 'utf8').catch(() => '(no error.log)')).split('\n').slice(-lines).join('\n');
  const child: ResultPromise = execa('netdata', ['-c', dirs.netdataConf, '-D'], {
    reject: false,
    stdin: 'ignore',
    stdout: { file: join(dirs.root, 'stdout.log') },
    stderr: { file: join(dirs.root, 'stderr.log') },
  });
  const pid = child.pid ?? -1;
  liveAgents.set(pid, hostname);
  let exited = false;
  void child.then(() => {
    exited = true;
  });

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    if (!response.ok) throw new Error(`GET ${path} on agent ${hostname}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const processes = (): ProcessInfo[] => processesTagged(hostname, pid);

  const finish = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<StopReport> => {
    if (!exited) {
      child.kill(signal);
      // Unreferenced: once Netdata exited, the bound must not keep the test worker alive until it fires.
      await Promise.race([
        child,
        new Promise((resolve) => {
          setTimeout(resolve, exitDeadlineMs).unref();
        }),
      ]);
      if (!exited) child.kill('SIGKILL');
      await child;
    }
    liveAgents.delete(pid);
    // Plugins see Netdata go when their stdout breaks; give them the same bound to wind down.
    await waitFor(
      async () => (processes().length === 0 ? true : undefined),
      () => '',
      exitDeadlineMs,
    ).catch(() => undefined);
    const leftovers = processes();
    for (const info of leftovers) {
      try {
        process.kill(info.pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
    await rm(dirs.root, { recursive: true, force: true });
    return { leftovers };
  };
  const agent: Agent = { port, pid, hostname, dirs, api, processes, logTail, stop: () => finish('SIGTERM'), kill: () => finish('SIGKILL') };

  try {
    await waitFor(
      async () => {
        if (exited) throw new Error('exited');
        const info = await api<{ mirrored_hosts_status?: { hostname: string; hops: number }[] }>('/api/v1/info');
        const self = info.mirrored_hosts_status?.find((host) => host.hops === 0)?.hostname;
        const ours = listeningInodes(port).every((inode) => socketInodesOf(pid).has(inode));
        return self === hostname && ours ? true : undefined;
      },
      async () =>
        `Netdata (pid ${pid}) did not come up as ${hostname} on 127.0.0.1:${port}${exited ? ' (it exited)' : ''}.\n${await logTail()}`,
    );
  } catch (error) {
    await finish('SIGKILL');
    throw error;
  }
  return agent;
};

/** start() for one ava test: the agent is stopped when the test ends, pass or fail. */
export const startFor = async (t: ExecutionContext, options: AgentOptions = {}): Promise<Agent> => {
  const agent = await start(options);
  let stopped = false;
  const stopOnce = async (how: () => Promise<StopReport>): Promise<StopReport> => {
    if (stopped) return { leftovers: [] };
    stopped = true;
    return how();
  };
  t.teardown(async () => {
    await stopOnce(agent.stop);
  });
  return { ...agent, stop: () => stopOnce(agent.stop), kill: () => stopOnce(agent.kill) };
};

/**
 * Config files for a streaming parent that accepts children presenting `apiKey`. 1.37 names a loopback
 * peer `localhost` before matching `allow from`, so `127.0.0.1` would refuse the child ("not permitted
 * from this IP").
 */
export const streamingParentFiles = (apiKey: string): Record<string, string> => ({
  'stream.conf': renderIni({ [apiKey]: { enabled: 'yes', 'allow from': 'localhost' } }),
});

/** Config files for a child that streams everything it collects to the parent on `parentPort`. */
export const streamingChildFiles = (parentPort: number, apiKey: string): Record<string, string> => ({
  'stream.conf': renderIni({ stream: { enabled: 'yes', destination: `tcp:127.0.0.1:${parentPort}`, 'api key': apiKey } }),
});

/** `child` read as a parent that mirrors it serves it: the same REST API under /host/<hostname>; both logs on failure. */
export const mirroredHost = (parent: Agent, child: Agent): AgentApi => ({
  hostname: child.hostname,
  api: async <T>(path: string): Promise<T> => parent.api<T>(`/host/${child.hostname}${path}`),
  logTail: async (lines?: number) =>
    `parent ${parent.hostname}:\n${await parent.logTail(lines)}\nchild ${child.hostname}:\n${await child.logTail(lines)}`,
});
