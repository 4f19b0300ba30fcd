#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Make a fresh Debian machine (as root) ready to run and test ebpf-process: system packages, the kernel
# filesystems bpftrace and libbpf read, npm dependencies, the TypeScript build and the C helper with its
# minimal BTF for this kernel. `--tests` adds what only the tests use: Debian's chromium, the browser the
# dashboard test drives (scripts/test.sh passes it; running the plugin needs no browser).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(bpftrace clang libbpf-dev bpftool libelf-dev zlib1g-dev make gcc netdata util-linux libcap2-bin procps)
# The tests' browser, and what the kernel matrix boots Debian's kernels with (scripts/kernel-*.sh).
if [ "${1:-}" = --tests ]; then packages+=(chromium qemu-system-x86 busybox-static cpio zstd xz-utils kmod); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  # Debian's netdata starts its own agent where systemd runs; tests start private agents instead.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mount_if_missing() { # type mountpoint
  grep -qs " $2 $1 " /proc/mounts || mount -t "$1" "$1" "$2" 2>/dev/null || echo "setup: cannot mount $1 on $2" >&2
}
mount_if_missing tracefs /sys/kernel/tracing
mount_if_missing debugfs /sys/kernel/debug
mount_if_missing securityfs /sys/kernel/security

[ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
make -s -C bpf-fallback
# This kernel's minimal BTF beside the helper: it then need not read the whole kernel BTF (bench, tests).
# Without bpftool this prints a note and the helper reads the kernel's BTF.
node dist/cli.js min-btf
