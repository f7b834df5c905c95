#!/usr/bin/env bash
# A self-signed certificate for trying the app from a phone on the same network.
# Covers localhost and every IPv4 address of this machine.
set -euo pipefail
dir=${1:-.certs}
[ -f "$dir/cert.pem" ] && exit 0
mkdir -p "$dir"
san="DNS:localhost,IP:127.0.0.1"
for ip in $(hostname -I 2>/dev/null); do case $ip in *:*) ;; *) san="$san,IP:$ip";; esac; done
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=xunjian local" \
  -addext "subjectAltName=$san" -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
echo "Made $dir/cert.pem for $san; install it on the phone as a trusted certificate (see README)."
