#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside a kernel-matrix guest (scripts/kernel-matrix.sh), chrooted into the host's root shared read-only:
# the checkout's `check --json`, then one `selftest` per cell, every output kept in RESULTS (the writable share)
# and one line per cell in RESULTS/cells.tsv: id, rc (or same:<id> for a twin plan), seconds. Usage: kernel-guest.sh CHECKOUT RESULTS
set -uo pipefail
checkout=${1:?usage: kernel-guest.sh CHECKOUT RESULTS}
results=${2:?usage: kernel-guest.sh CHECKOUT RESULTS}
rounds=${EBPF_PROCESS_KERNEL_ROUNDS:-1}
cd "$checkout" || exit 1
cli() { node "$checkout/dist/cli.js" "$@"; }
mkdir -p "$results/cells"

# The root is read-only: the helper's folder moves to a tmpfs so `min-btf` can write this kernel's file
# beside it (and the host's minimal BTF, for another kernel, is not there to be refused).
bin=$checkout/bpf-fallback/bin
mkdir -p /run/helper-bin && cp -a "$bin/." /run/helper-bin/ && rm -rf /run/helper-bin/*/btf
mount --bind /run/helper-bin "$bin" || exit 1

# selftest compiles selftest/workload.c with `cc -O2 -Wall -pthread -o OUT SRC`, which under TCG costs as much
# as the selftest: kernel-matrix.sh compiled the same source with the same compiler and libc (this very root)
# before the boot, and this cc hands that binary out for exactly that command; anything else goes to the real cc.
mkdir -p /run/cc-shim
cat >/run/cc-shim/cc <<SHIM
#!/bin/sh
[ "\$#" = 6 ] && [ "\$1 \$2 \$3 \$4" = '-O2 -Wall -pthread -o' ] && [ "\$6" = '$checkout/selftest/workload.c' ] \
  && exec cp '$results/workload' "\$5"
exec /usr/bin/cc "\$@"
SHIM
chmod 0755 /run/cc-shim/cc
export PATH=/run/cc-shim:$PATH

uname -r >"$results/release"
# A bpftrace's first start reads LLVM over 9p under TCG, which on a loaded host can outlast the 30 s that check and
# selftest give `bpftrace --version` (the facts then said no bpftrace: bullseye, 2026-12-07). Each bpftrace starts
# once before it is asked, its time kept in RESULTS/bpftrace-NAME.version.
warm_up() { # name bpftrace
  local start
  start=$(date +%s)
  timeout -k 10 300 "$2" --version >"$results/bpftrace-$1.version" 2>&1
  echo "exit $?, $(($(date +%s) - start)) s" >>"$results/bpftrace-$1.version"
}
warm_up host bpftrace
# A check that does not end would leave the cells to hang the same way: it gets a timeout, and with
# EBPF_PROCESS_KERNEL_TRACE_CHECK=1 an strace of every process it starts, to see where it waits.
trace=()
[ "${EBPF_PROCESS_KERNEL_TRACE_CHECK:-}" = 1 ] && trace=(strace -f -tt -s 120 -o "$results/check.strace")
timeout -k 10 "${EBPF_PROCESS_KERNEL_CHECK_TIMEOUT:-600}" "${trace[@]}" node "$checkout/dist/cli.js" check --json \
  >"$results/check.json" 2>"$results/check.stderr"
rc=$?
echo $rc >"$results/check.rc"
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  echo "check --json did not end within ${EBPF_PROCESS_KERNEL_CHECK_TIMEOUT:-600} s: the cells would wait the same way" >"$results/failed"
  exit 0
fi
if [ "${EBPF_PROCESS_KERNEL_CHECK_ONLY:-}" = 1 ]; then
  echo "cells not run: EBPF_PROCESS_KERNEL_CHECK_ONLY=1 asked for check --json alone" >"$results/failed"
  exit 0
fi

# id: <backend>[-<variant>]_<probe type>_<mode>[_who]; the words after the id are selftest's own flags.
cell() { # id config args...
  local id=$1 config=$2 start rc
  shift 2
  [[ $id =~ ${EBPF_PROCESS_KERNEL_ONLY:-.} ]] || return 0
  start=$(date +%s)
  echo "kernel-guest: $id" >&2
  timeout -k 10 "${EBPF_PROCESS_KERNEL_CELL_TIMEOUT:-300}" node "$checkout/dist/cli.js" \
    selftest --rounds "$rounds" --config "$config" "$@" \
    >"$results/cells/$id.txt" 2>&1
  rc=$?
  printf '%s\t%s\t%s\n' "$id" "$rc" "$(($(date +%s) - start))" >>"$results/cells.tsv"
}
conf() { # name lines... : a config file in the guest's tmpfs
  local file=/run/$1.conf
  shift
  printf '%s\n' '[global]' "$@" >"$file"
  echo "$file"
}
plain=$(conf plain)
# A probe type whose plan (the attach points per chart dimension, from this kernel's facts) equals one already
# run for the backend and mode would run the same programs again: it is recorded as that cell's twin instead.
# A backend this kernel's facts refuse (dry-run's "backend = X cannot run: WHY") is refused alike in every mode and
# probe type: one selftest shows the refusal, the other cells are its twins.
plan_of() { # backend mode probe: a hash of the plan, refused-<hash> of the refusal, or a word of its own when dry-run printed none
  local out lines refusal
  out=$(cli dry-run --facts "$results/check.json" --config "$plain" --backend "$1" --mode "$2" --probe-type "$3" 2>/dev/null)
  refusal=$(sed -n "s/^backend: .*(backend = $1 cannot run: \(.*\); using .*/\1/p" <<<"$out")
  # A refusal for want of bpftrace in the facts is not twinned: selftest asks bpftrace itself.
  if [ -n "$refusal" ] && ! grep -Eq '"bpftrace": ?null' "$results/check.json"; then
    echo "refused-$(md5sum <<<"$refusal" | cut -c1-32)"
    return
  fi
  lines=$(grep '^  [a-z]' <<<"$out" | sort)
  if [ -n "$lines" ]; then md5sum <<<"$lines"; else echo "no-plan-$1-$2-$3"; fi
}
declare -A planned=()
# Return mode first, the backends side by side: it reads the most (errors, return values, bytes), so a guest cut
# short by its timeout has run the cells that find the most.
for mode in return entry; do
  for probe in trampoline probe tracepoint auto; do
    for backend in bpftrace helper; do
      variant=$backend; [ "$backend" = bpftrace ] && variant=bpftrace-host
      id=${variant}_${probe}_${mode}
      [[ $id =~ ${EBPF_PROCESS_KERNEL_ONLY:-.} ]] || continue
      plan=$(plan_of "$backend" "$mode" "$probe")
      key=$backend.$mode.$plan
      [[ $plan == refused-* ]] && key=$backend.$plan
      if [ -n "${planned[$key]:-}" ]; then
        printf '%s\t%s\t0\n' "$id" "same:${planned[$key]}" >>"$results/cells.tsv"
        continue
      fi
      planned[$key]=$id
      cell "$id" "$plain" --backend "$backend" --probe-type "$probe" --mode "$mode"
    done
  done
done
# Cgroups and apps: one run per backend, in the plan auto picks.
cell helper_auto_return_who "$plain" --backend helper --mode return --cgroups --apps
cell bpftrace-host_auto_return_who "$plain" --backend bpftrace --mode return --cgroups --apps
# The matrix's bpftrace builds where their chroot exists (the host's cache, shared read-only).
for suite in trixie sid; do
  wrapper=/var/cache/ebpf-process/bpftrace/$suite/bpftrace
  [ -x "$wrapper" ] && [[ bpftrace-${suite}_auto_return =~ ${EBPF_PROCESS_KERNEL_ONLY:-.} ]] || continue
  # bpftrace writes its temporary files under the chroot's /tmp, on the read-only root here.
  mount -t tmpfs tmpfs "${wrapper%/bpftrace}/root/tmp" || echo "kernel-guest: no tmpfs on the $suite chroot's /tmp" >&2
  warm_up "$suite" "$wrapper"
  build=$(conf "bpftrace-$suite" "    bpftrace path = $wrapper")
  cell "bpftrace-$suite"_auto_return "$build" --backend bpftrace --mode return
done
# The helper with this kernel's minimal BTF (tracepoint and kprobe programs only read it: README of bpf-fallback).
if cli min-btf >"$results/min-btf.txt" 2>&1 && ls "$bin"/*/btf/*.btf >/dev/null 2>&1; then
  for probe in probe tracepoint; do cell "helper-minbtf_${probe}_return" "$plain" --backend helper --probe-type "$probe" --mode return; done
fi
exit 0
