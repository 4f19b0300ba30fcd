// SPDX-License-Identifier: GPL-3.0-or-later
// Install, check and uninstall into a private root, with real chown/setcap/getcap and a real netdata user.
import test from 'ava';
import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helperObjectPath, helperPath } from '../../src/backend/helper/locate-helper.js';
import { findMinBtf } from '../../src/backend/helper/min-btf.js';
import { valueOf } from '../../src/outcome.js';
import { checkInstall } from '../../src/install/check-install.js';
import { install } from '../../src/install/install.js';
import type { InstallOptions } from '../../src/install/paths.js';
import { uninstall } from '../../src/install/uninstall.js';

const debianNetdataConf = '# NetData Configuration\n\n[global]\n\trun as user = netdata\n';

// A private Netdata layout; the "helper" is a copy of grep, so running it shows the capabilities it gets.
const privateRoot = async (): Promise<{ root: string; options: InstallOptions }> => {
  const root = await mkdtemp(join(tmpdir(), 'ebpf-install-'));
  for (const dir of ['plugins.d', 'conf.d', 'etc', 'systemd/system', 'src']) await mkdir(join(root, dir), { recursive: true });
  await execa('chmod', ['755', root]);
  await writeFile(join(root, 'etc/netdata.conf'), debianNetdataConf);
  await writeFile(join(root, 'src/ebpf_process.conf'), '# stock\n[global]\n\t# load = entry\n');
  await writeFile(join(root, 'src/cli.js'), 'console.log("plugin");\n');
  await copyFile('/usr/bin/grep', join(root, 'src/helper'));
  return {
    root,
    options: {
      paths: {
        pluginsDir: join(root, 'plugins.d'),
        stockConfigDir: join(root, 'conf.d'),
        netdataConf: join(root, 'etc/netdata.conf'),
        systemdDropInDir: join(root, 'systemd/system/netdata.service.d'),
        netdataGroup: 'netdata',
      },
      // The real object, for a real minimal BTF (the grep "helper" has none).
      sources: {
        cliScript: join(root, 'src/cli.js'),
        stockConfig: join(root, 'src/ebpf_process.conf'),
        helper: join(root, 'src/helper'),
        bpfObject: helperObjectPath(helperPath()),
      },
    },
  };
};

// Through a shell: setpriv's own execve right after setresuid was seen to skip the directory search check here.
const asUser = (user: string, group: string, command: string, args: string[]) =>
  execa('setpriv', [`--reuid=${user}`, `--regid=${group}`, '--init-groups', 'sh', '-c', 'exec "$0" "$@"', command, ...args], {
    reject: false,
    cwd: '/',
  });

test('install puts every piece in place, a second install changes nothing, and check finds it complete', async (t) => {
  const { root, options } = await privateRoot();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const first = await install(options);
  t.true(
    first.every((step) => step.action === 'created' || step.action === 'updated'),
    JSON.stringify(first),
  );
  const second = await install(options);
  t.deepEqual(
    second.map((step) => step.action),
    first.map(() => 'unchanged'),
  );

  const helper = join(root, 'plugins.d/ebpf-process/ebpf-process-helper');
  const info = await stat(helper);
  t.is(info.uid, 0);
  t.is(info.mode & 0o7777, 0o750);
  t.is((await stat(join(root, 'plugins.d/ebpf-process'))).mode & 0o7777, 0o750);
  const minBtf = await findMinBtf(helper);
  t.true(minBtf.ok && first.some((step) => step.path === minBtf.value && step.action === 'created'), JSON.stringify(minBtf));
  const btfInfo = await stat(valueOf(minBtf)!);
  t.deepEqual([btfInfo.uid, btfInfo.mode & 0o7777], [0, 0o644]);
  t.regex(await readFile(join(root, 'etc/netdata.conf'), 'utf8'), /\[plugins\]\n\tebpf_process = yes\n$/);
  const stock = await readFile(join(root, 'conf.d/ebpf_process.conf'), 'utf8');
  t.true(stock.includes('\tbackend = helper\n') && stock.includes(`\thelper path = ${helper}\n`), stock);
  // The stock alerts where Netdata's health reads stock files, as packaged.
  t.is(await readFile(join(root, 'conf.d/health.d/ebpf_process.conf'), 'utf8'), await readFile('conf/health.d/ebpf_process.conf', 'utf8'));
  t.is((await stat(join(root, 'conf.d/health.d/ebpf_process.conf'))).mode & 0o7777, 0o644);
  t.regex(
    await readFile(join(root, 'systemd/system/netdata.service.d/ebpf-process.conf'), 'utf8'),
    /CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH/,
  );
  t.deepEqual(
    (await checkInstall(options)).filter((item) => !item.ok),
    [],
  );
});

test('as the netdata user the helper copy runs with exactly its file capabilities; other users cannot run it', async (t) => {
  const { root, options } = await privateRoot();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await install(options);
  const helper = join(root, 'plugins.d/ebpf-process/ebpf-process-helper');
  const asNetdata = await asUser('netdata', 'netdata', helper, ['^CapEff', '/proc/self/status']);
  t.is(asNetdata.exitCode, 0, asNetdata.stderr);
  // CAP_DAC_READ_SEARCH (2) + CAP_PERFMON (38) + CAP_BPF (39)
  t.is(asNetdata.stdout.trim(), `CapEff:\t${((1n << 2n) | (1n << 38n) | (1n << 39n)).toString(16).padStart(16, '0')}`);
  const asNobody = await asUser('nobody', 'nogroup', helper, ['x', '/dev/null']);
  t.not(asNobody.exitCode, 0);
  t.regex(asNobody.stderr, /Permission denied/);
});

test('uninstall gives netdata.conf back byte for byte, removes our files, and is idempotent', async (t) => {
  const { root, options } = await privateRoot();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await install(options);
  const first = await uninstall(options);
  t.false(
    first.some((step) => step.action === 'absent'),
    JSON.stringify(first),
  );
  t.is(await readFile(join(root, 'etc/netdata.conf'), 'utf8'), debianNetdataConf);
  const left = await execa('find', [join(root, 'plugins.d'), join(root, 'conf.d'), join(root, 'systemd/system'), '-mindepth', '1']);
  t.is(left.stdout, '');
  const second = await uninstall(options);
  t.true(
    second.every((step) => step.action === 'absent' || step.action === 'unchanged'),
    JSON.stringify(second),
  );
});

test('check names each missing piece with a fix', async (t) => {
  const { root, options } = await privateRoot();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await install(options);
  await execa('setcap', ['-r', join(root, 'plugins.d/ebpf-process/ebpf-process-helper')]);
  await writeFile(join(root, 'src/helper'), 'rebuilt');
  const failed = (await checkInstall(options)).filter((item) => !item.ok);
  t.deepEqual(
    failed.map((item) => item.id),
    ['install.helper-capabilities', 'install.helper-current'],
  );
  t.true(failed.every((item) => item.fix !== undefined && item.fix.length > 0));
  await uninstall(options);
  const afterUninstall = (await checkInstall(options)).filter((item) => !item.ok).map((item) => item.id);
  t.deepEqual(afterUninstall, [
    'install.launcher',
    'install.private-directory',
    'install.helper',
    'install.stock-alerts',
    'install.enabled',
    'install.systemd-bound',
  ]);
});

test('install refuses to run without the built helper and says how to get it', async (t) => {
  const { root, options } = await privateRoot();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const error = await t.throwsAsync(install({ ...options, sources: { ...options.sources, helper: join(root, 'missing') } }));
  t.is((error as { code?: string }).code, 'ebpf.install.missing-source');
  t.regex(error.message, /libbpf helper .* is missing\. Fix:/);
});
