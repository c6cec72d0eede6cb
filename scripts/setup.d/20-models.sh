#!/usr/bin/env bash
# Fetches model weights into the cache (never the repo): face-api 1.7.15 via npm pack, FaceReID's
# JSON from ../shared; verifies sizes and checksums. Idempotent: a verified cache is left alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "models: npm missing, installing Debian's nodejs and npm"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "models: npm is needed to fetch face-api (install Node.js 20 and npm)" >&2
    exit 1
  fi
fi
"$here/tinyreid" models fetch
