#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Set up (with the tests' browser), then run the whole test suite (real bpftrace, the real helper, a real
# Netdata agent, its dashboard in a real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
npm test
