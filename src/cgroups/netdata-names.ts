// SPDX-License-Identifier: GPL-3.0-or-later
// How Netdata's cgroups.plugin names a cgroup, restated here: its simple patterns and the defaults of its settings,
// its chart id rules, what its naming script answers without a container runtime, and the hash of its shared list.

// Netdata's simple patterns (SIMPLE_PATTERN_EXACT), as its cgroups.plugin settings use them: space-separated
// words, `*` matches any run of characters, a leading `!` negates, and the first word that matches decides.
const wordRegExp = (word: string): RegExp =>
  new RegExp(
    `^${word
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

interface CompiledWord {
  readonly negated: boolean;
  readonly regExp: RegExp;
}

// Every cgroup is named at every update against the same few pattern lists: compile each list once (building
// the expressions anew each time took most of the plugin's CPU with hundreds of cgroups).
const compiled = new Map<string, readonly CompiledWord[]>();

const compile = (patterns: string): readonly CompiledWord[] => {
  let words = compiled.get(patterns);
  if (!words) {
    words = patterns
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => {
        const negated = word.startsWith('!');
        return { negated, regExp: wordRegExp(negated ? word.slice(1) : word) };
      });
    compiled.set(patterns, words);
  }
  return words;
};

/** true or false from the first matching word; undefined when no word matches. */
export const simplePatternMatch = (patterns: string, value: string): boolean | undefined => {
  const first = compile(patterns).find((word) => word.regExp.test(value));
  return first === undefined ? undefined : !first.negated;
};

// The defaults of Netdata's [plugin:cgroups] settings that decide how a cgroup path is shown (read in
// cgroups.plugin's sys_fs_cgroup.c, docs/cgroups.md). A user who changed them in netdata.conf gets our
// path-derived names only when Netdata's shared list is not there to give the real ones.

/** `cgroups to match as systemd services`: charted on the services.* charts, one dimension each. */
export const systemdServicePatterns = ' !/system.slice/*/*.service /system.slice/*.service ';

/** Both lists below take a Kubernetes pod's containers, and nothing else of Kubernetes, at the same place. */
const kubernetesPods = [
  '*/kubepods/pod*/*',
  '*/kubepods/*/pod*/*',
  '*/*-kubepods-pod*/*',
  '*/*-kubepods-*-pod*/*',
  '!*kubepods*',
  '!*kubelet*',
];

/** `enable by default cgroups matching`: the cgroups that get their own charts. */
export const enabledCgroupPatterns = [
  '!*/init.scope',
  '!/system.slice/run-*.scope',
  '*user.slice/docker-*',
  '!*user.slice*',
  '*.scope',
  '/machine.slice/*.service',
  ...kubernetesPods,
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
  ...kubernetesPods,
  '*.libvirt-qemu',
  '*',
].join(' ');

// Netdata's chart id rules, as cgroups.plugin applies them to cgroup names (libnetdata netdata_fix_chart_id,
// then cgroups.plugin's substitute_dots_in_id): per byte, ASCII letters lowercased, digits, '-' and '_' kept,
// ',' becomes '.', everything else (non-ASCII bytes too) '_'; finally every '.' becomes '-' (a dot separates
// type and id in streaming). The result has only [a-z0-9_-], so it is safe bare in plugins.d lines.

/** cgroup-name.sh cuts names at 100 characters; 200 bytes leave room for the `cgroup_` prefix and chart ids. */
const maxLength = 200;

const fixedByte = (byte: number): string => {
  const char = String.fromCharCode(byte);
  if (/[a-z0-9._-]/.test(char)) return char;
  if (/[A-Z]/.test(char)) return char.toLowerCase();
  return char === ',' ? '.' : '_';
};
// Every cgroup of a walk is named (tens of ms at 500 cgroups when each byte was tested with expressions): a table.
const fixedBytes: readonly string[] = Array.from({ length: 256 }, (_, byte) => fixedByte(byte));

/** netdata_fix_chart_id alone (dots kept): what cgroups.plugin hands its naming script. */
export const fixChartId = (text: string): string => {
  let fixed = '';
  for (const byte of Buffer.from(text, 'utf8')) fixed += fixedBytes[byte]!;
  return fixed;
};

/** Like cgroup_chart_id_strdupz plus substitute_dots_in_id: an empty name is treated as "/", which becomes "_". */
export const netdataChartId = (text: string): string =>
  fixChartId(text || '/')
    .replace(/\./g, '-')
    .slice(0, maxLength);

// What Netdata's cgroup-name.sh answers for a cgroup when it cannot ask a container runtime or Kubernetes (the
// plugin never does: it runs as a collector, not as the agent's naming script). Its input is the cgroup path
// with '/' as '_' after netdata_fix_chart_id; the branches kept are the ones that need only that string.
// Docker, Podman: the first 12 hex digits of the container id, as Netdata shows a container whose name it
// could not look up. Kubernetes: "k8s_" and the input. nspawn machines, LXC 4 payloads: their name.
// Anything else (including libvirt, Proxmox, ECS, which need files or APIs): the input itself.
const shortContainerId = (id: string | undefined, lengths: readonly number[]): string | undefined =>
  id !== undefined && lengths.includes(id.length) ? id.slice(0, 12) : undefined;

const runtimeName = (cgroup: string): string | undefined => {
  if (/kubepods/.test(cgroup)) return `k8s_${cgroup}`;
  // The script's sed expressions start with a greedy `^.*`: the last occurrence wins, as here.
  if (/docker[-_/.][a-fA-F0-9]+/.test(cgroup)) return shortContainerId(/^.*docker[-_/]([a-fA-F0-9]+)/.exec(cgroup)?.[1], [64, 12]);
  if (/libpod-[a-fA-F0-9]+/.test(cgroup)) return shortContainerId(/^.*libpod-([a-fA-F0-9]+)/.exec(cgroup)?.[1], [64]);
  if (/machine.slice[_/].*\.service/.test(cgroup)) return cgroup.replace(/.*machine.slice[_/](.*)\.service/, '$1');
  return /lxc.payload./.test(cgroup) ? cgroup.replace(/lxc\.payload\.(.*)/, '$1') : undefined;
};

/** cgroup-name.sh's NAME for this input: cut at 100 characters, spaces made '_'. */
export const containerName = (cgroup: string): string => (runtimeName(cgroup) || cgroup).slice(0, 100).replace(/ /g, '_');

// libnetdata's simple_hash, which cgroups.plugin stores beside each name it shares: 32-bit FNV over the bytes,
// multiplying before the xor (FNV-1 order, although its comment says FNV-1a).
export const netdataSimpleHash = (text: string): number => {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = (Math.imul(hash, 16777619) ^ byte) >>> 0;
  return hash;
};
