// SPDX-License-Identifier: GPL-3.0-or-later
// The defaults of Netdata's [plugin:cgroups] settings that decide how a cgroup path is shown (read in
// cgroups.plugin's sys_fs_cgroup.c, docs/cgroups.md). A user who changed them in netdata.conf gets our
// path-derived names only when Netdata's shared list is not there to give the real ones.

/** `cgroups to match as systemd services`: charted on the services.* charts, one dimension each. */
export const systemdServicePatterns = ' !/system.slice/*/*.service /system.slice/*.service ';

/** `enable by default cgroups matching`: the cgroups that get their own charts. */
export const enabledCgroupPatterns = [
  '!*/init.scope',
  '!/system.slice/run-*.scope',
  '*user.slice/docker-*',
  '!*user.slice*',
  '*.scope',
  '/machine.slice/*.service',
  '*/kubepods/pod*/*',
  '*/kubepods/*/pod*/*',
  '*/*-kubepods-pod*/*',
  '*/*-kubepods-*-pod*/*',
  '!*kubepods*',
  '!*kubelet*',
  '!*/vcpu*',
  '!*/emulator',
  '!*.mount',
  '!*.partition',
  '!*.service',
  '!*.service/udev',
  '!*.socket',
  '!*.slice',
  '!*.swap',
  '!*.user',
  '!/',
  '!/docker',
  '!*/libvirt',
  '!/lxc',
  '!/lxc/*/*',
  '!/lxc.monitor*',
  '!/lxc.pivot',
  '!/lxc.payload',
  '!*lxcfs.service/.control',
  '!/machine',
  '!/qemu',
  '!/system',
  '!/systemd',
  '!/user',
  '*',
].join(' ');

/** `run script to rename cgroups matching`: the paths cgroup-name.sh is asked to name. */
export const renamedCgroupPatterns = [
  '!/',
  '!*.mount',
  '!*.socket',
  '!*.partition',
  '/machine.slice/*.service',
  '!*.service',
  '!*.slice',
  '!*.swap',
  '!*.user',
  '!init.scope',
  '!*.scope/vcpu*',
  '!*.scope/emulator',
  '*.scope',
  '*docker*',
  '*lxc*',
  '*qemu*',
  '*/kubepods/pod*/*',
  '*/kubepods/*/pod*/*',
  '*/*-kubepods-pod*/*',
  '*/*-kubepods-*-pod*/*',
  '!*kubepods*',
  '!*kubelet*',
  '*.libvirt-qemu',
  '*',
].join(' ');
