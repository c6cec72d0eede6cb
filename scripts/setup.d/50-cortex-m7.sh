#!/usr/bin/env bash
# The generated-C tests (nn: GeneratedCTest) build the C that `tinyreid codegen` writes for the host and for a
# Cortex-M7 and run the latter under QEMU (mps2-an500, semihosting). As root (CI) we install Debian's
# toolchains; otherwise we only report, and those tests skip with a message (they fail in CI).
set -euo pipefail
need=()
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || need+=(make)
command -v arm-none-eabi-gcc >/dev/null 2>&1 || need+=(gcc-arm-none-eabi)
[[ -f /usr/lib/picolibc/arm-none-eabi/picolibc.specs ]] || need+=(picolibc-arm-none-eabi)
command -v qemu-system-arm >/dev/null 2>&1 || need+=(qemu-system-arm)
if [[ ${#need[@]} -eq 0 ]]; then
  echo "cortex-m7: $(arm-none-eabi-gcc --version | head -1); $(qemu-system-arm --version | head -1)"
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "cortex-m7: missing ${need[*]} and not root; the generated-C tests will skip (apt-get install --no-install-recommends ${need[*]})"
  exit 0
fi
echo "cortex-m7: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "cortex-m7: $(arm-none-eabi-gcc --version | head -1); $(qemu-system-arm --version | head -1)"
