#!/usr/bin/env bash
# A local certificate authority and a server certificate it signs, for trying the app
# from a phone on the same network. Install ca.pem on the phone (not the server cert):
# browsers trust a server certificate through the authority that signed it.
set -euo pipefail
dir=${1:-.certs}
[ -f "$dir/cert.pem" ] && exit 0
mkdir -p "$dir"
san="DNS:localhost,IP:127.0.0.1"
for ip in $(hostname -I 2>/dev/null); do case $ip in *:*) ;; *) san="$san,IP:$ip";; esac; done
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=xunjian local CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=xunjian" -keyout "$dir/key.pem" \
  -out "$dir/server.csr" 2>/dev/null
printf "subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n" "$san" > "$dir/ext.cnf"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
  -CAcreateserial -days 825 -extfile "$dir/ext.cnf" -out "$dir/cert.pem" 2>/dev/null
rm -f "$dir/server.csr" "$dir/ext.cnf"
chmod 600 "$dir"/*key.pem
echo "Made $dir/cert.pem for $san, signed by $dir/ca.pem."
echo "Install $dir/ca.pem on the phone as a trusted CA certificate (see README)."
