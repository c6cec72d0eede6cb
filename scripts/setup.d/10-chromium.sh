#!/usr/bin/env bash
# The web UI's browser test drives Debian's chromium through chromedriver (no browser downloads).
# As root (CI) we install them; otherwise we only report, and the browser test skips with a message.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1); chromedriver present"
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "chromium: not installed and not root; the browser test will skip (install: apt-get install chromium chromium-driver)"
  exit 0
fi
echo "chromium: installing Debian's chromium and chromium-driver"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver >/dev/null
echo "chromium: $(/usr/bin/chromium --version | head -1)"
