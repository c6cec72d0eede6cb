#!/usr/bin/env bash
# The desktop window (tinyreid run --window) is tested on Debian's Xvfb, a display in memory.
# As root (CI) we install it; otherwise we only report, and the window test skips with a message.
set -euo pipefail
if [[ -x /usr/bin/Xvfb ]]; then
  echo "xvfb: present"
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "xvfb: not installed and not root; the window test will skip (install: apt-get install xvfb)"
  exit 0
fi
echo "xvfb: installing Debian's xvfb"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq xvfb >/dev/null
echo "xvfb: present"
