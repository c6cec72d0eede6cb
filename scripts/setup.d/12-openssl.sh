#!/usr/bin/env bash
# The web certificate tests make the household's PEM files with OpenSSL (the tool households use).
# As root (CI) we install it; otherwise we only report, and those tests skip with a message.
set -euo pipefail
if [[ -x /usr/bin/openssl ]]; then
  echo "openssl: $(/usr/bin/openssl version)"
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "openssl: not installed and not root; the certificate tests will skip (install: apt-get install openssl)"
  exit 0
fi
echo "openssl: installing Debian's openssl"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq openssl >/dev/null
echo "openssl: $(/usr/bin/openssl version)"
