#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Set up, then run the plugin as Netdata would (update every 1 s), printing the protocol to the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
# Setup's messages go to stderr: stdout carries the plugin's protocol only, as Netdata would read it.
bash scripts/setup.sh >&2
exec node dist/cli.js 1 "$@"
