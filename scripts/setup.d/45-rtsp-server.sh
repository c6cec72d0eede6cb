#!/usr/bin/env bash
# The RTSP capture test runs a real RTSP camera on loopback: Debian's GStreamer RTSP server through
# python3-gi (app/src/test/resources/io/tinyreid/app/source/rtsp_camera.py), RTP/JPEG from
# videotestsrc. As root (CI) we install it; otherwise we only report, and the test skips with a message.
set -euo pipefail
check() {
  /usr/bin/python3 - <<'PY' 2>/dev/null
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer
Gst.init(None)
for e in ("videotestsrc", "jpegenc", "rtpjpegpay", "videoconvert"):
    assert Gst.ElementFactory.find(e), e
PY
}
if check; then
  echo "rtsp-server: GStreamer RTSP server available"
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "rtsp-server: not installed and not root; the RTSP test will skip (install: apt-get install python3-gi" \
       "gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good)"
  exit 0
fi
echo "rtsp-server: installing Debian's GStreamer RTSP server"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base \
  gstreamer1.0-plugins-good >/dev/null
check
echo "rtsp-server: GStreamer RTSP server available"
