#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A busybox initramfs for one of Debian's kernels unpacked by kernel-fetch.sh: it loads the virtio and 9p
# modules (decompressed here, so busybox's insmod needs no xz/zstd), mounts the host's root read-only over 9p
# with the kernel's file systems over it, and runs the guest script the host left on the writable share.
# Usage: kernel-initramfs.sh KERNEL_ROOT OUT.cpio.gz
set -euo pipefail
kroot=${1:?usage: kernel-initramfs.sh KERNEL_ROOT OUT}
out=${2:?usage: kernel-initramfs.sh KERNEL_ROOT OUT}
busybox=/bin/busybox
moddir=$(echo "$kroot"/lib/modules/*)
[ -f "$moddir/modules.dep" ] || { echo "kernel-initramfs: no modules.dep under $kroot/lib/modules" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,proc,sys,dev,root,modules}
cp "$busybox" "$work/bin/busybox"

# Dependencies first, each module once: the order insmod needs (modprobe's, without modprobe).
declare -A seen=()
order=()
add_module() { # name (as in modules.dep, without directory and suffix)
  local line path dep
  line=$(awk -v m="$1" '{ p = $1; sub(/:$/, "", p); n = p; sub(/.*\//, "", n)
    sub(/\.ko(\.(xz|zst|gz))?$/, "", n); gsub(/-/, "_", n) } n == m { print; exit }' "$moddir/modules.dep")
  if [ -z "$line" ]; then
    # Not a module: built in (=y) or missing; the guest's mount says which if it matters.
    grep -qE "/$1\.ko" "$moddir/modules.builtin" 2>/dev/null || echo "kernel-initramfs: $1 is neither a module nor built in" >&2
    return 0
  fi
  path=${line%%:*}
  [ -n "${seen[$path]:-}" ] && return 0
  seen[$path]=1
  for dep in ${line#*:}; do
    dep=${dep##*/}; dep=${dep%%.ko*}; add_module "${dep//-/_}"
  done
  order+=("$path")
}
for m in virtio_pci 9pnet_virtio 9p; do add_module "$m"; done

for path in "${order[@]}"; do
  name=${path##*/}; name=${name%%.ko*}.ko
  case $path in
    *.ko.xz) xz -dc "$moddir/$path" >"$work/modules/$name" ;;
    *.ko.zst) zstd -qdc "$moddir/$path" >"$work/modules/$name" ;;
    *.ko.gz) gzip -dc "$moddir/$path" >"$work/modules/$name" ;;
    *) cp "$moddir/$path" "$work/modules/$name" ;;
  esac
  echo "$name" >>"$work/modules/order"
done

cat >"$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t devtmpfs dev /dev
fail() { echo "kernel-matrix-init: $*"; poweroff -f; }
for m in $(cat /modules/order); do insmod "/modules/$m" || fail "insmod $m failed"; done
opts=trans=virtio,version=9p2000.L,msize=524288,cache=loose
mount -t 9p -o "$opts,ro" hostroot /root || fail "mounting the host's root over 9p failed"
mount -t proc proc /root/proc
mount -t sysfs sys /root/sys
mount -t devtmpfs dev /root/dev
mkdir -p /root/dev/pts /root/dev/shm 2>/dev/null
# What udev would add to a bare devtmpfs: bpftrace 0.27 has clang write its stdlib to /dev/fd/N.
ln -s /proc/self/fd /root/dev/fd
ln -s /proc/self/fd/0 /root/dev/stdin
ln -s /proc/self/fd/1 /root/dev/stdout
ln -s /proc/self/fd/2 /root/dev/stderr
mount -t devpts devpts /root/dev/pts
mount -t tmpfs tmpfs /root/dev/shm
mount -t tmpfs tmpfs /root/tmp
mount -t tmpfs tmpfs /root/run
mount -t tracefs tracefs /root/sys/kernel/tracing
mount -t debugfs debugfs /root/sys/kernel/debug
mount -t bpf bpf /root/sys/fs/bpf
mount -t tmpfs tmpfs /root/sys/fs/cgroup && mount -t cgroup2 cgroup2 /root/sys/fs/cgroup
mkdir -p /root/run/kernel-matrix
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 results /root/run/kernel-matrix || fail "mounting the results share failed"
# The checkout, shared on its own at its own path: one under /tmp or /run is hidden by the tmpfs mounted there.
checkout=$(cat /root/run/kernel-matrix/checkout-path)
mkdir -p "/root$checkout" 2>/dev/null
mount -t 9p -o "$opts,ro" checkout "/root$checkout" || fail "mounting the checkout $checkout failed"
echo "kernel-matrix-init: running the guest script"
chroot /root /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp TERM=dumb \
  /bin/bash /run/kernel-matrix/guest.sh
echo $? >/root/run/kernel-matrix/guest.rc
sync
umount /root/run/kernel-matrix
poweroff -f
INIT
chmod 0755 "$work/init"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.new" && mv "$out.new" "$out"
