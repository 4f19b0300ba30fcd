#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Real bpftrace builds from Debian's archive beside the host's: trixie (Debian 13) and sid, each in a minimal
# debootstrap chroot cached outside the clone, with a wrapper that runs its bpftrace on this kernel.
# Prints nothing on stdout; the tests find the wrappers under $EBPF_PROCESS_BPFTRACE_CACHE.
set -euo pipefail

cache=${EBPF_PROCESS_BPFTRACE_CACHE:-/var/cache/ebpf-process/bpftrace}
suites=(${EBPF_PROCESS_BPFTRACE_SUITES:-trixie sid})
# The host's own mirror, so the chroots come from where apt already fetches.
mirror=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

command -v debootstrap >/dev/null || {
  echo "bpftrace-matrix: installing debootstrap" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

# A half-built chroot may still have the host's /proc, /sys and /dev bound into it (the wrapper's mounts, or
# debootstrap's own after a failure): unmount them before removing it, and never let rm cross into them.
remove_chroot() { # dir
  local mounts
  mounts=$(awk -v root="$1/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r)
  for mount in $mounts; do umount -l "$mount"; done
  rm -rf --one-file-system "$1"
}

# The wrapper binds the kernel's filesystems on first use (mounts do not survive a reboot) and execs the
# chroot's bpftrace; the chroot cannot see the host's /tmp, so callers pass the script on stdin. The binds are
# made slaves: where the host's mounts are shared (systemd), unmounting one inside the chroot would otherwise
# propagate to the host's /sys/kernel/tracing and the like. Rewritten on every run, so a cached chroot gets the
# current wrapper.
write_wrapper() { # dir
  cat >"$1/bpftrace.new" <<EOF
#!/bin/sh
root='$1/root'
for fs in proc sys dev; do
  mountpoint -q "\$root/\$fs" || { mount --rbind "/\$fs" "\$root/\$fs" && mount --make-rslave "\$root/\$fs"; } || exit 1
done
exec chroot "\$root" /usr/bin/bpftrace "\$@"
EOF
  chmod 0755 "$1/bpftrace.new" && mv "$1/bpftrace.new" "$1/bpftrace"
}

build_suite() { # suite
  local dir="$cache/$1" root="$cache/$1/root"
  if [ ! -e "$dir/ready" ]; then
    remove_chroot "$dir" && mkdir -p "$dir"
    echo "bpftrace-matrix: debootstrap $1 (a few minutes, once)" >&2
    debootstrap --variant=minbase --include=bpftrace "$1" "$root" "$mirror" >"$dir/debootstrap.log" 2>&1 || {
      echo "bpftrace-matrix: debootstrap $1 failed, see $dir/debootstrap.log" >&2
      return 1
    }
  fi
  write_wrapper "$dir"
  "$dir/bpftrace" --version >"$dir/version" && touch "$dir/ready"
  echo "bpftrace-matrix: $1 ready: $(cat "$dir/version")" >&2
}

mkdir -p "$cache" && chmod 0755 "$cache"
pids=()
for suite in "${suites[@]}"; do build_suite "$suite" & pids+=($!); done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
