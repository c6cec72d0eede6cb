#!/usr/bin/python3
"""A doorbell camera on loopback for the RTSP tests: Debian's GStreamer RTSP server (python3-gi,
gir1.2-gst-rtsp-server-1.0) serving rtsp://127.0.0.1:PORT/door as RTP/JPEG (RFC 2435), 640x480 at
10 fps, one solid colour (0xRRGGBB). Prints "ready" once it listens; runs until killed.

usage: rtsp_camera.py PORT RRGGBB
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    port, colour = sys.argv[1], int(sys.argv[2], 16)
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( videotestsrc is-live=true pattern=solid-color foreground-color=0x%08x "
        "! video/x-raw,width=640,height=480,framerate=10/1 ! videoconvert ! video/x-raw,format=I420 "
        "! jpegenc quality=90 "
        "! rtpjpegpay name=pay0 pt=26 )" % (0xFF000000 | colour))
    factory.set_shared(True)
    server.get_mount_points().add_factory("/door", factory)
    if server.attach(None) == 0:
        print("cannot listen on 127.0.0.1:%s" % port, flush=True)
        sys.exit(1)
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
