// SPDX-License-Identifier: GPL-3.0-or-later
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
