#!/usr/bin/env bash
# Installs what xunjian needs from Debian: Chromium for the browser tests, redis-server for the
# task-queue tests, openssl for a test certificate, nginx for the production-shape tests
# (tests/prod_stack.py; production installs it as docs/deploy.md says), and Pango (text layout) for WeasyPrint, which renders the reports (docs/reports.md).
# `install_system_deps.sh run` installs only what the app itself needs (Pango), for `make run`.
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail
missing=()
if [ "${1:-test}" != run ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v redis-server >/dev/null || missing+=(redis-server)  # the task-queue tests (Redis)
  command -v openssl >/dev/null || missing+=(openssl)  # the reminders' SMTP-over-TLS test certificate
  command -v pg_dump >/dev/null || missing+=(postgresql-client)  # backups of PostgreSQL (docs/backup.md)
  [ -x /usr/sbin/nginx ] || missing+=(nginx)  # the production shape in front of two gunicorn servers
fi
for lib in libpango-1.0-0 libpangoft2-1.0-0; do
  dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "install ok installed" || missing+=("$lib")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing ${missing[*]} with apt-get ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
