// SPDX-License-Identifier: GPL-3.0-or-later
// Names from paths, as Netdata's cgroups.plugin (default settings) and cgroup-name.sh name the same cgroups.
import test from 'ava';
import { identityFromPath } from '../../src/cgroups/cgroup-identity.js';
import { netdataChartId, netdataSimpleHash, simplePatternMatch } from '../../src/cgroups/netdata-names.js';
import { assertId } from '../../src/protocol/quote.js';

const dockerId = 'c41ada192692ec5585d3541c3d86c709c41ada192692ec5585d3541c3d86c709';

const cases: [path: string, kind: 'service' | 'cgroup', name: string, charted: boolean][] = [
  ['/system.slice/nginx.service', 'service', 'nginx', true],
  ['/system.slice/systemd-journald.service', 'service', 'systemd-journald', true],
  ['/system.slice/getty@tty1.service', 'service', 'getty_tty1', true],
  ['/system.slice/php8.2-fpm.service', 'service', 'php8-2-fpm', true],
  // Not a service: nested below a service; Netdata neither charts it as a service nor enables it.
  ['/system.slice/docker.service/x.service', 'cgroup', 'system-slice_docker-service_x-service', false],
  [`/system.slice/docker-${dockerId}.scope`, 'cgroup', dockerId.slice(0, 12), true],
  [`/machine.slice/libpod-${dockerId}.scope`, 'cgroup', dockerId.slice(0, 12), true],
  ['/machine.slice/systemd-nspawn@web.service', 'cgroup', 'systemd-nspawn_web', true],
  ['/lxc.payload.web1', 'cgroup', 'web1', true],
  ['/kubepods/besteffort/pod5f1e/0123abcd', 'cgroup', 'k8s_kubepods_besteffort_pod5f1e_0123abcd', true],
  ['/user.slice/user-1000.slice/session-2.scope', 'cgroup', 'user-slice_user-1000-slice_session-2-scope', false],
  ['/system.slice/run-r1234.scope', 'cgroup', 'system-slice_run-r1234-scope', false],
  ['/init.scope', 'cgroup', 'init-scope', false],
  ['/system.slice', 'cgroup', 'system-slice', false],
  ['/', 'cgroup', '_', false],
  ['/ebpf-process selftest', 'cgroup', 'ebpf-process_selftest', true],
];

for (const [path, kind, name, charted] of cases) {
  test(`${path} is ${kind} \`${name}\`${charted ? '' : ', not charted'}`, (t) => {
    t.deepEqual(identityFromPath(path), { kind, name, charted });
    t.notThrows(() => assertId(`cgroup_${name}`));
  });
}

test('chart ids follow netdata_fix_chart_id and substitute_dots_in_id byte by byte', (t) => {
  t.is(netdataChartId('My.App,v2/ü x\'"='), 'my-app-v2____x___');
  t.is(netdataChartId(''), '_');
  t.is(netdataChartId('x'.repeat(300)).length, 200);
});

test('simple patterns: the first matching word decides, ! negates, * is any run', (t) => {
  t.is(simplePatternMatch('!/system.slice/*/*.service /system.slice/*.service', '/system.slice/a.service'), true);
  t.is(simplePatternMatch('!/system.slice/*/*.service /system.slice/*.service', '/system.slice/a/b.service'), false);
  t.is(simplePatternMatch('/a.b', '/axb'), undefined);
});

test("the shared list's hash is libnetdata simple_hash (32-bit FNV-1: multiply, then xor)", (t) => {
  t.is(netdataSimpleHash(''), 0x811c9dc5);
  t.is(netdataSimpleHash('a'), 0x050c5d7e);
  t.is(netdataSimpleHash('foobar'), 0x31f0b262);
});
