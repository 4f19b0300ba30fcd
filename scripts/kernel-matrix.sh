#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian's own kernels (bullseye 5.10, bookworm 6.1, trixie 6.12, sid), each booted in qemu (two at a time)
# with this machine's root shared read-only, running this checkout's `check --json` and selftests inside
# (scripts/kernel-guest.sh): EBPF_PROCESS_KERNEL_CELL_TIMEOUT and _CHECK_TIMEOUT bound each step there (seconds),
# _TRACE_CHECK=1 straces the check. Results go to $EBPF_PROCESS_KERNEL_RESULTS/<suite>/ (default: the cache's results/),
# replaced per run; EBPF_PROCESS_KERNEL_ONLY=REGEX runs only the cells whose id matches;
# test/kernels/ reads them. A kernel that cannot be fetched or booted fails this script with its reason.
# Under TCG (this machine's KVM cannot run Debian's kernels: docs/attach-points.md), so timings mean nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
cache=${EBPF_PROCESS_KERNEL_CACHE:-/var/cache/ebpf-process/kernels}
suites=(${EBPF_PROCESS_KERNEL_SUITES:-bullseye bookworm trixie sid})
guest_timeout=${EBPF_PROCESS_KERNEL_TIMEOUT:-1500}
guest_cpus=${EBPF_PROCESS_KERNEL_CPUS:-1}
parallel=${EBPF_PROCESS_KERNEL_PARALLEL:-2}
guest_cmdline=${EBPF_PROCESS_KERNEL_CMDLINE:-}
results_root=${EBPF_PROCESS_KERNEL_RESULTS:-$cache/results}

for seconds in "${EBPF_PROCESS_KERNEL_CHECK_TIMEOUT:-600}" "${EBPF_PROCESS_KERNEL_CELL_TIMEOUT:-300}" "$guest_timeout"; do
  case $seconds in
    '' | *[!0-9]*) echo "kernel-matrix: timeout '$seconds' (EBPF_PROCESS_KERNEL_*TIMEOUT) is not a number of seconds" >&2; exit 2 ;;
  esac
done
case $parallel in
  [1-9]) ;;
  *) echo "kernel-matrix: EBPF_PROCESS_KERNEL_PARALLEL='$parallel' is not a number of guests from 1 to 9" >&2; exit 2 ;;
esac
case $guest_cpus in
  [1-9]) ;;
  *) echo "kernel-matrix: EBPF_PROCESS_KERNEL_CPUS='$guest_cpus' is not a vCPU count from 1 to 9" >&2; exit 2 ;;
esac
case $guest_cmdline in
  *[!A-Za-z0-9_.,=\ -]*)
    echo "kernel-matrix: EBPF_PROCESS_KERNEL_CMDLINE='$guest_cmdline' has characters other than letters, digits, space and _.,=-" >&2
    exit 2
    ;;
esac
case $checkout in
  *[!A-Za-z0-9/._-]*)
    echo "kernel-matrix: the checkout's path $checkout has characters the guest's command line cannot carry;" \
      "use a path of letters, digits and /._-" >&2
    exit 2
    ;;
esac
need=()
for tool in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static cpio:cpio depmod:kmod zstd:zstd xz:xz-utils; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "kernel-matrix: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
file -L "$(command -v busybox)" | grep -q 'statically linked' ||
  { echo "kernel-matrix: busybox is not static; apt-get install busybox-static" >&2; exit 1; }

# What the console says went wrong: the kernel's panic line when there is one, else its last lines.
console_reason() { # console.log
  local panic
  panic=$(grep -m1 -a 'Kernel panic' "$1" | tr -d '\r' || true)
  if [ -n "$panic" ]; then echo "$panic"; else tail -n3 "$1" | tr -d '\r' | tr '\n' ' '; fi
}

# A guest whose kernel reports a lockup or a stall never gets its script done: stop it at the first report rather
# than at the hard timeout, and print the report. Returns when qemu has ended either way.
watch_console() { # qemu-pid console.log
  local line
  while kill -0 "$1" 2>/dev/null; do
    line=$(grep -a -m1 -E 'soft lockup|hard LOCKUP|self-detected stall|blocked for more than|Kernel panic' "$2" | tr -d '\r' || true)
    if [ -n "$line" ]; then
      sleep 5 # the report's stack, for console.log
      kill "$1" 2>/dev/null
      echo "${line#\[*\] }"
      return 0
    fi
    sleep 2
  done
}

run_suite() { # suite
  local suite=$1 kroot results vmlinuz start rc qemu stuck
  results=$results_root/$suite
  rm -rf "$results" && mkdir -p "$results"
  start=$(date +%s)
  kroot=$(bash scripts/kernel-fetch.sh "$suite" 2>"$results/fetch.log") ||
    { echo "cannot fetch: $(tail -n1 "$results/fetch.log")" >"$results/failed"; return 1; }
  bash scripts/kernel-initramfs.sh "$kroot" "$cache/$suite/initramfs.cpio.gz" 2>"$results/initramfs.log" \
    || { echo "cannot build its initramfs: $(tail -n1 "$results/initramfs.log")" >"$results/failed"; return 1; }
  cp "$cache/workload" "$results/workload"
  echo "$checkout" >"$results/checkout-path"
  vmlinuz=$(readlink -f "$kroot/vmlinuz")
  # The guest's environment is empty: what it takes from ours goes into its script, quoted.
  printf 'export EBPF_PROCESS_KERNEL_ROUNDS=%q EBPF_PROCESS_KERNEL_CHECK_ONLY=%q EBPF_PROCESS_KERNEL_ONLY=%q\n'\
'export EBPF_PROCESS_KERNEL_TRACE_CHECK=%q EBPF_PROCESS_KERNEL_CHECK_TIMEOUT=%q EBPF_PROCESS_KERNEL_CELL_TIMEOUT=%q\n'\
'exec bash %q %q /run/kernel-matrix\n' \
    "${EBPF_PROCESS_KERNEL_ROUNDS:-1}" "${EBPF_PROCESS_KERNEL_CHECK_ONLY:-}" "${EBPF_PROCESS_KERNEL_ONLY:-}" \
    "${EBPF_PROCESS_KERNEL_TRACE_CHECK:-}" "${EBPF_PROCESS_KERNEL_CHECK_TIMEOUT:-600}" "${EBPF_PROCESS_KERNEL_CELL_TIMEOUT:-300}" \
    "$checkout/scripts/kernel-guest.sh" "$checkout" >"$results/guest.sh"
  # no_timer_check: under TCG on a loaded host the IO-APIC timer check can miss its ticks, and 6.12 then
  # panics ("IO-APIC + timer doesn't work!"); a VM's timer needs no such check.
  echo "kernel-matrix: $suite: booting $(basename "$vmlinuz") under TCG (at most ${guest_timeout} s)" >&2
  rc=0
  # One vCPU: with two, a CPU kept running code another had just rewritten (fentry's text_poke of vfs_read), looping
  # at vfs_read+0x0 while an rcu_tasks grace period stayed open (a soft lockup, bookworm, 2026-12-07).
  timeout -k 10 "$guest_timeout" qemu-system-x86_64 -accel tcg -cpu max -m 3G -smp "$guest_cpus" -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd "$cache/$suite/initramfs.cpio.gz" -append "console=ttyS0 panic=-1 no_timer_check $guest_cmdline" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$results,mount_tag=results,security_model=none,multidevs=remap" \
    -virtfs "local,path=$checkout,mount_tag=checkout,security_model=none,readonly=on,multidevs=remap" \
    </dev/null >"$results/console.log" 2>&1 &
  qemu=$!
  stuck=$(watch_console "$qemu" "$results/console.log")
  wait "$qemu" || rc=$?
  echo $(($(date +%s) - start)) >"$results/seconds"
  if [ -n "$stuck" ]; then
    echo "guest stopped: its kernel reported '$stuck' (the console's last lines are in console.log)" >"$results/failed"
    return 1
  fi
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "guest hung: no poweroff within ${guest_timeout} s; console: $(console_reason "$results/console.log")" >"$results/failed"
    return 1
  fi
  [ -e "$results/guest.rc" ] || {
    echo "guest ended before its script did (qemu rc $rc); console: $(console_reason "$results/console.log")" >"$results/failed"
    return 1
  }
  echo "kernel-matrix: $suite: $(cat "$results/cells.tsv" 2>/dev/null | wc -l) cells in $(cat "$results/seconds") s" >&2
}

# selftest's workload, compiled here rather than by every selftest under TCG (kernel-guest.sh's cc).
mkdir -p "$cache"
cc -O2 -Wall -pthread -o "$cache/workload" selftest/workload.c
# Each guest is one vCPU, one host core under TCG: EBPF_PROCESS_KERNEL_PARALLEL guests at a time (default 2, a CI
# runner's cores; nothing else runs meanwhile: scripts/test.sh boots them before the suite).
declare -A suite_of=()
status=0
finished() { # waits for one guest, and says how its suite ended
  local pid
  wait -n -p pid "${!suite_of[@]}" ||
    { status=1; echo "kernel-matrix: ${suite_of[$pid]}: $(cat "$results_root/${suite_of[$pid]}/failed")" >&2; }
  unset "suite_of[$pid]"
}
for suite in "${suites[@]}"; do
  [ "${#suite_of[@]}" -lt "$parallel" ] || finished
  run_suite "$suite" &
  suite_of[$!]=$suite
done
while [ "${#suite_of[@]}" -gt 0 ]; do finished; done
exit $status
