#!/usr/bin/env bash
# The notification tests publish to a real MQTT broker: Debian's mosquitto on 127.0.0.1:18830
# (a fixed port of our own, clear of a system broker on 1883). As root (CI) we install and start
# it; otherwise we only report, and the MQTT tests skip with a message (they fail in CI).
set -euo pipefail
port="${TINYREID_MQTT_PORT:-18830}"
conf="${TMPDIR:-/tmp}/tinyreid-mosquitto.conf"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "mosquitto: a broker already answers on 127.0.0.1:$port"
  exit 0
fi
if ! command -v mosquitto >/dev/null 2>&1 && [[ ! -x /usr/sbin/mosquitto ]]; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "mosquitto: not installed and not root; the MQTT tests will skip (install: apt-get install mosquitto)"
    exit 0
  fi
  echo "mosquitto: installing Debian's mosquitto"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq mosquitto >/dev/null
fi
bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
cat > "$conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
CONF
[[ "$(id -u)" == 0 ]] && echo "user root" >> "$conf"
# .ci/run stops what we start here (its pid file), also when the tests fail.
[[ -n "${TINYREID_SERVICES_DIR:-}" ]] && echo "pid_file $TINYREID_SERVICES_DIR/mosquitto.pid" >> "$conf"
"$bin" -c "$conf" -d
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "mosquitto: $("$bin" -h 2>/dev/null | head -1 || true) listening on 127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "mosquitto: started but not listening on 127.0.0.1:$port" >&2
exit 1
