#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Set up (with the tests' browser), then run the whole test suite: the unit tier and the host tier (real
# bpftrace, the real helper, a real Netdata agent, its dashboard in a real browser, Debian's kernels in qemu; test/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
# The real bpftrace builds the tests run beside the host's (test/matrix/): built once into
# /var/cache/ebpf-process/bpftrace, reused after. If they cannot be built (no network), the suite still runs,
# their tests fail with the reason, and so does this script.
matrix=0
bash scripts/bpftrace-matrix.sh || matrix=$?
# Debian's own kernels in qemu, two at a time, running this checkout's selftests inside (docs/attach-points.md):
# all four by default (21 min on a quiet machine). EBPF_PROCESS_KERNEL_SUITES narrows them ('bookworm',
# 'bullseye sid'), 'none' boots none; test/kernels/ then fails per kernel that did not boot and per cell that did not
# count exactly, and lists the kernels left out as skipped.
export EBPF_PROCESS_KERNEL_SUITES=${EBPF_PROCESS_KERNEL_SUITES-bullseye bookworm trixie sid}
[ "$EBPF_PROCESS_KERNEL_SUITES" != none ] || EBPF_PROCESS_KERNEL_SUITES=''
kernels=0
if [ -n "$EBPF_PROCESS_KERNEL_SUITES" ]; then bash scripts/kernel-matrix.sh || kernels=$?; fi
npm test
[ "$matrix" = 0 ] || exit "$matrix"
exit "$kernels"
