#!/usr/bin/env bash
# Installs what the test suite needs from Debian: Chromium for the browser tests, redis-server for the task-queue tests.
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)  # the task-queue tests (Redis)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing ${missing[*]} with apt-get ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
