#!/usr/bin/env bash
# Golden outputs of face-api 1.7.15 itself (tools/faceapi-golden, Node, tfjs cpu backend, offline)
# on PNG crops cut from ../shared's LFW images, written to the cache for the parity tests. Rebuilt
# only when the script, its lockfile or the image count change.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${TINYREID_CACHE:-$HOME/.cache/tinyreid}"
shared="${TINYREID_SHARED:-$here/../shared}"
lfw="$shared/data/lfw-dev/images"
out="$cache/golden/face-api-1.7.15"
count=24
tool="$here/tools/faceapi-golden"
if [[ ! -d "$lfw" ]]; then
  echo "faceapi-golden: $lfw missing; parity tests will skip (or fail in CI)"
  exit 0
fi
key="$(cat "$tool/golden.js" "$tool/package-lock.json" | sha256sum | cut -d' ' -f1)-$count"
if [[ -f "$out/golden.json" && "$(cat "$out/.key" 2>/dev/null)" == "$key" ]]; then
  echo "faceapi-golden: up to date in $out"
  exit 0
fi
echo "faceapi-golden: installing the tool's locked dependencies (npm ci)"
(cd "$tool" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
tmp="$(mktemp -d "$cache/.golden-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "faceapi-golden: running face-api on $count LFW crops"
node "$tool/golden.js" --lfw "$lfw" --out "$tmp" --count "$count" --backend cpu > /dev/null
echo "$key" > "$tmp/.key"
rm -rf "$out" && mkdir -p "$(dirname "$out")" && mv "$tmp" "$out"
trap - EXIT
echo "faceapi-golden: wrote $out"
