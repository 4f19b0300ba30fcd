#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian's own kernel of one suite, fetched with a private apt configuration (the machine's own lists and
# state stay untouched) and unpacked under the cache, reused after: prints the directory holding vmlinuz
# (a link to the kernel) and lib/modules/<version>/. Fails with the reason when the kernel cannot be had.
set -euo pipefail
suite=${1:?usage: kernel-fetch.sh SUITE}
cache=${EBPF_PROCESS_KERNEL_CACHE:-/var/cache/ebpf-process/kernels}
case $suite in *[!a-z]*|'') echo "kernel-fetch: suite '$suite' is not a Debian suite name (lower-case letters only)" >&2; exit 2 ;; esac
mirror=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

dir=$cache/$suite
if [ -e "$dir/ready" ]; then cat "$dir/ready"; exit 0; fi
apt_dir=$dir/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$apt_dir/sources.list"
opts=(-o Dir::Etc::sourcelist="$apt_dir/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$apt_dir/lists"
  -o Dir::Cache="$apt_dir" -o Dir::State::status=/dev/null -o Debug::NoLocking=1)
apt-get "${opts[@]}" update -qq || { echo "kernel-fetch: $suite: apt-get update from $mirror failed" >&2; exit 1; }
# linux-image-amd64 is the suite's meta package: its dependency names the current kernel's package.
package=$(apt-cache "${opts[@]}" depends linux-image-amd64 | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
[ -n "$package" ] || { echo "kernel-fetch: $suite: linux-image-amd64 names no linux-image-<version> package" >&2; exit 1; }
# From 7.x (sid) the image package is split: the kernel, its modules and its config come in
# linux-{binary,modules,base}-<version>, which it depends on.
version=${package#linux-image-}
parts=$(apt-cache "${opts[@]}" depends "$package" | awk -v v="$version" '$1 == "Depends:" &&
  ($2 == "linux-binary-" v || $2 == "linux-modules-" v || $2 == "linux-base-" v) { print $2 }')
echo "kernel-fetch: $suite: downloading $package $parts" >&2
rm -rf "$dir/deb" "$dir/root" && mkdir -p "$dir/deb"
# shellcheck disable=SC2086 # $parts: package names, one word each
(cd "$dir/deb" && apt-get "${opts[@]}" download -qq "$package" $parts) ||
  { echo "kernel-fetch: $suite: download of $package failed" >&2; exit 1; }
for deb in "$dir"/deb/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
# Merged /usr (trixie on) ships modules under usr/lib: depmod -b and the initramfs look under lib/.
[ -e "$dir/root/lib" ] || ln -s usr/lib "$dir/root/lib"
# boot/vmlinuz-<version> up to trixie; lib/modules/<version>/vmlinuz from 7.x. root/vmlinuz names it for qemu.
vmlinuz=$(find "$dir/root/boot" "$dir/root/usr/lib/modules" -maxdepth 2 \( -name 'vmlinuz-*' -o -name vmlinuz \) 2>/dev/null |
  head -n1 || true)
[ -n "$vmlinuz" ] || { echo "kernel-fetch: $suite: $package $parts hold no vmlinuz" >&2; exit 1; }
ln -sfn "${vmlinuz#"$dir/root/"}" "$dir/root/vmlinuz"
rm -rf "$dir/deb"
# The package leaves modules.dep to the install's depmod: write it here (the initramfs needs the order).
depmod -b "$dir/root" "$(basename "$(echo "$dir"/root/lib/modules/*)")"
echo "$dir/root" >"$dir/ready"
cat "$dir/ready"
